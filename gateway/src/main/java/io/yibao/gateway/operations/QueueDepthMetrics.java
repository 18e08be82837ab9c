package io.yibao.gateway.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import java.util.List;
import java.util.Locale;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * How much is waiting, for Prometheus:
 * <ul>
 *   <li>{@code yibao_queue_messages{queue="yibao.inbox|yibao.chunks|yibao.outbox|yibao.dead"}}: messages in each
 *       Artemis queue, from the embedded broker's management API (including messages a consumer holds
 *       for redelivery). Only with the embedded broker; an external broker reports its own queues.</li>
 *   <li>{@code yibao_ledger_messages{status="received|signed|rejected|dead_lettered"}}: ledger rows in
 *       each status that is not delivered yet (a count on the indexed status column), with any broker.</li>
 * </ul>
 */
@Component
public class QueueDepthMetrics implements MeterBinder {
    static final List<String> QUEUES = List.of("yibao.inbox", "yibao.chunks", "yibao.outbox", "yibao.dead");
    private static final List<MessageStatus> WAITING =
            List.of(MessageStatus.RECEIVED, MessageStatus.SIGNED, MessageStatus.REJECTED, MessageStatus.DEAD_LETTERED);

    private final ObjectProvider<EmbeddedActiveMQ> embeddedBroker;
    private final MessageLedger ledger;

    public QueueDepthMetrics(ObjectProvider<EmbeddedActiveMQ> embeddedBroker, MessageLedger ledger) {
        this.embeddedBroker = embeddedBroker;
        this.ledger = ledger;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        EmbeddedActiveMQ broker = embeddedBroker.getIfAvailable();
        if (broker != null) {
            for (String queue : QUEUES) {
                Gauge.builder("yibao.queue.messages", broker, b -> depth(b, queue))
                        .description("Messages in the gateway's Artemis queue (embedded broker)")
                        .tag("queue", queue)
                        .register(meters);
            }
        }
        for (MessageStatus status : WAITING) {
            Gauge.builder("yibao.ledger.messages", ledger, l -> l.count(status))
                    .description("Ledger messages in a status that is not delivered yet")
                    .tag("status", status.name().toLowerCase(Locale.ROOT))
                    .register(meters);
        }
    }

    private static double depth(EmbeddedActiveMQ broker, String name) {
        ActiveMQServer server = broker.getActiveMQServer();
        if (server == null || !server.isActive()) {
            return Double.NaN;
        }
        Queue queue = server.locateQueue(SimpleString.of(name));
        return queue == null ? Double.NaN : queue.getMessageCount();
    }
}
