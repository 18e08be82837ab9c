package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.gateway.BrokerTransactionRecorder.Event;
import io.yibao.gateway.BrokerTransactionRecorder.Kind;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A pipeline step takes a message id off one queue and puts it on the next in <em>one</em> broker
 * transaction. Were they two, a crash between the two commits would leave a message consumed from the
 * inbox but never on the outbox: SIGNED in the ledger and in no queue (found by
 * {@code GatewayCrashRecoveryIT}: Camel's lazily created JmsTransactionManager ran the send in a session
 * of its own, committed after the cached consumer's session had committed the consumption). The inbox step
 * sends a message to the outbox when the transmission that was to deliver it failed: the platform is told to
 * answer the next call with 503.
 */
class PipelineHopIsOneBrokerTransactionTest extends AbstractOperationsTest {

    @Autowired
    BrokerTransactionRecorder broker;

    @AfterEach
    void platformWorksAgain() {
        simulator("DELETE", "/api/v1/admin/faults", null);
    }

    @Test
    void theInboxConsumptionAndTheOutboxSendOfAMessageCommitTogether() throws Exception {
        assertThat(simulator("POST", "/api/v1/admin/faults", "{\"mode\":\"status\",\"status\":503,\"count\":1}").statusCode())
                .isEqualTo(200);
        String id = send(sample("ADM-OPS-TX-1"));
        assertThat(waitForFinal(id).get("status").asText()).isEqualTo("DELIVERED");

        List<Event> events = broker.eventsOf(id, e -> e.kind() == Kind.ACKNOWLEDGED && e.address().equals("yibao.outbox"));
        Event consumed = events.stream().filter(e -> e.kind() == Kind.ACKNOWLEDGED && e.address().equals("yibao.inbox"))
                .findFirst().orElseThrow(() -> new AssertionError("no acknowledgement of the inbox message: " + events));
        Event forwarded = events.stream().filter(e -> e.kind() == Kind.SENT && e.address().equals("yibao.outbox"))
                .findFirst().orElseThrow(() -> new AssertionError("no send to the outbox after the failed transmission: " + events));
        assertThat(consumed.transaction()).as("the inbox consumption is transacted: %s", events).isNotNull();
        assertThat(forwarded.transaction()).as("the outbox send is in the transaction of the inbox consumption: %s", events)
                .isEqualTo(consumed.transaction());
        assertThat(events.stream().filter(e -> e.kind() == Kind.ACKNOWLEDGED && e.address().equals("yibao.outbox")))
                .as("the outbox message is consumed in a transaction: %s", events)
                .singleElement().extracting(Event::transaction).isNotNull();
    }
}
