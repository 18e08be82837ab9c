package io.yibao.gateway.pipeline;

import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Re-queues messages the ledger holds but no queue does: received while the broker was unreachable,
 * or stranded by a crash between two steps. The steps are idempotent and the platform dedupes by
 * message id, so queuing a message twice costs a little work and never a second delivery.
 */
@Component
public class RecoverySweep {
    private static final Logger log = LoggerFactory.getLogger(RecoverySweep.class);
    private static final Duration RECEIVED_GRACE = Duration.ofMinutes(1);
    private static final Duration SIGNED_GRACE = Duration.ofMinutes(10);

    private final MessageLedger ledger;
    private final ProducerTemplate producer;
    private final Clock clock;

    public RecoverySweep(MessageLedger ledger, ProducerTemplate producer, Clock clock) {
        this.ledger = ledger;
        this.producer = producer;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT30S", fixedDelayString = "PT30S")
    public void sweep() {
        requeue(MessageStatus.RECEIVED, RECEIVED_GRACE, PipelineRoutes.INBOX);
        requeue(MessageStatus.SIGNED, SIGNED_GRACE, PipelineRoutes.OUTBOX);
    }

    private void requeue(MessageStatus status, Duration grace, String queue) {
        var ids = ledger.idsInStatusBefore(status, clock.instant().minus(grace), 500);
        ids.forEach(id -> producer.sendBody(queue, id));
        if (!ids.isEmpty()) {
            log.info("recovery re-queued {} {} messages", ids.size(), status);
        }
    }
}
