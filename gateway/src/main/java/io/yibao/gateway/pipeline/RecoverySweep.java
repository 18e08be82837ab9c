package io.yibao.gateway.pipeline;

import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Re-queues messages the ledger holds but no queue does: received while the broker was unreachable,
 * or stranded by a crash between two steps. The steps are idempotent and the platform dedupes by
 * message id, so queuing a message twice costs a little work and never a second delivery. Timing:
 * {@code yibao.recovery.*} ({@link GatewayProperties.Recovery}).
 */
@Component
public class RecoverySweep implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(RecoverySweep.class);

    private final MessageLedger ledger;
    private final ProducerTemplate producer;
    private final GatewayProperties.Recovery recovery;
    private final Clock clock;

    public RecoverySweep(MessageLedger ledger, ProducerTemplate producer, GatewayProperties properties, Clock clock) {
        this.ledger = ledger;
        this.producer = producer;
        this.recovery = properties.getRecovery();
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::sweep, recovery.getInterval(), recovery.getInterval()));
    }

    void sweep() {
        requeue(MessageStatus.RECEIVED, recovery.getReceivedGrace(), PipelineRoutes.INBOX);
        requeue(MessageStatus.SIGNED, recovery.getSignedGrace(), PipelineRoutes.OUTBOX);
    }

    private void requeue(MessageStatus status, Duration grace, String queue) {
        var ids = ledger.idsInStatusBefore(status, clock.instant().minus(grace), 500);
        ids.forEach(id -> producer.sendBody(queue, id));
        if (!ids.isEmpty()) {
            log.info("recovery re-queued {} {} messages", ids.size(), status);
        }
    }
}
