package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.gateway.BrokerTransactionRecorder.Event;
import io.yibao.gateway.BrokerTransactionRecorder.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Messages that wait on the inbox together are taken together: an inbox consumer takes, with the message it receives,
 * what else is waiting, in one broker transaction, and they are processed and forwarded as one chunk. Each still ends
 * as a message of its own (here: delivered), and none is on the outbox (the chunk's transmission delivered them all).
 */
class InboxTakesWaitingMessagesTogetherTest extends AbstractOperationsTest {
    private static final int MESSAGES = 8;

    @Autowired
    BrokerTransactionRecorder broker;

    @Test
    void messagesWaitingOnTheInboxAreConsumedInFewerTransactionsThanMessagesAndAllDelivered() throws Exception {
        stopProcessing();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            ids.add(send(sample("ADM-OPS-CHUNK-" + i)));
        }
        startProcessing();
        for (String id : ids) {
            assertThat(waitForFinal(id).get("status").asText()).as(id).isEqualTo("DELIVERED");
        }

        Predicate<Event> inboxAck = e -> e.kind() == Kind.ACKNOWLEDGED && e.address().equals("yibao.inbox");
        List<Event> inboxAcks = new ArrayList<>();
        for (String id : ids) {
            // DELIVERED is written inside the inbox transaction; its acknowledgement reaches the broker at the commit after
            inboxAcks.addAll(broker.eventsOf(id, inboxAck).stream().filter(inboxAck).toList());
        }
        assertThat(inboxAcks).as("each message consumed from the inbox once").hasSize(MESSAGES);
        assertThat(inboxAcks).extracting(Event::transaction).allMatch(Objects::nonNull);
        // Two consumers share what waits (the broker hands it out among them): at most a few transactions, not one each.
        assertThat(inboxAcks.stream().map(Event::transaction).distinct().count())
                .as("transactions that consumed the %s waiting messages: %s", MESSAGES, inboxAcks)
                .isLessThanOrEqualTo(MESSAGES / 2);
        assertThat(ids.stream().flatMap(id -> broker.eventsOf(id).stream()).filter(e -> e.address().equals("yibao.outbox")))
                .as("delivered by the chunk's transmission, not one by one").isEmpty();
    }
}
