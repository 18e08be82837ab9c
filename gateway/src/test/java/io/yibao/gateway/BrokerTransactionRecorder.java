package io.yibao.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.reader.TextMessageUtil;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Watches the embedded broker from the inside (an Artemis broker plugin): every send and every
 * acknowledgement of a queue message, with the message's text (the gateway's queues carry message ids)
 * and the broker transaction it belongs to. Lets a test check what no client-side view can: that a
 * pipeline step's consumption of one queue message and its send to the next queue are one transaction.
 */
@TestConfiguration(proxyBeanMethods = false)
class BrokerTransactionRecorder implements ActiveMQServerMessagePlugin {

    /** A send or an acknowledgement; {@code transaction} is null outside a transaction. */
    record Event(Kind kind, String address, String text, Long transaction) {}

    enum Kind { SENT, ACKNOWLEDGED }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Bean
    ArtemisConfigurationCustomizer brokerTransactionRecorderPlugin() {
        return configuration -> configuration.registerBrokerPlugin(this);
    }

    /** What happened to queue messages whose text is {@code text}, in order. */
    List<Event> eventsOf(String text) {
        return events.stream().filter(event -> text.equals(event.text())).toList();
    }

    /**
     * What happened to queue messages whose text is {@code text}, once an event {@code until} accepts has happened (or
     * after 10 s, whatever has): a consumer's acknowledgement reaches the broker when its transaction commits, which is
     * after the ledger write that a test waits for.
     */
    List<Event> eventsOf(String text, Predicate<Event> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (eventsOf(text).stream().noneMatch(until) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return eventsOf(text);
    }

    @Override
    public void afterSend(ServerSession session, Transaction tx, Message message, boolean direct, boolean noAutoCreateQueue,
                          RoutingStatus result) {
        events.add(new Event(Kind.SENT, message.getAddress(), text(message), tx == null ? null : tx.getID()));
    }

    @Override
    public void messageAcknowledged(Transaction tx, MessageReference ref, AckReason reason, ServerConsumer consumer) {
        events.add(new Event(Kind.ACKNOWLEDGED, ref.getQueue().getName().toString(), text(ref.getMessage()),
                tx == null ? null : tx.getID()));
    }

    private static String text(Message message) {
        try {
            var text = TextMessageUtil.readBodyText(message.toCore().getReadOnlyBodyBuffer());
            return text == null ? null : text.toString();
        } catch (RuntimeException notText) {
            return null;
        }
    }
}
