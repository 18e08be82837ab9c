package io.yibao.gateway.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.ledger.MessageLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Removes from the ledger the content of messages delivered longer ago than
 * {@code yibao.retention.delivered-content-after} (90 days by default; {@code yibao.retention.enabled=false} keeps it): the native payload and the signed canonical
 * message, which hold names and ID numbers and are most of a row's size (docs/architecture.md "Ledger retention"). The
 * platform holds what it accepted, the receipt stays in the ledger, and nothing the gateway does with a delivered message
 * reads either. Every {@code yibao.retention.interval} (first a minute after start, or the interval if shorter).
 *
 * <p>Each sweep pages through the delivered messages in order of their last change, {@value #PAGE} per transaction, from
 * where the previous sweep of this process stopped less {@link #OVERLAP} (for clocks of scale-out nodes a little apart;
 * a message delivered after that sweep's cut-off was stamped after it), so that a sweep reads only what it may remove and
 * not the ever longer history of messages already emptied; the first sweep after a start reads that history once.
 */
@Component
public class LedgerRetention implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(LedgerRetention.class);

    /** Messages per transaction. */
    public static final int PAGE = 1_000;
    /** How far before the previous sweep's cut-off a sweep starts looking. */
    static final Duration OVERLAP = Duration.ofHours(1);

    private final MessageLedger ledger;
    private final boolean enabled;
    private final Duration deliveredContentAfter;
    private final Duration interval;
    private final Clock clock;
    private final Counter removed;
    /** The cut-off of the last sweep that went through to the end; null before the first. */
    private Instant sweptBefore;

    public LedgerRetention(MessageLedger ledger, GatewayProperties properties, MeterRegistry meters, Clock clock) {
        this.ledger = ledger;
        this.enabled = properties.getRetention().isEnabled();
        this.deliveredContentAfter = properties.getRetention().getDeliveredContentAfter();
        this.interval = properties.getRetention().getInterval();
        if (notPositive(deliveredContentAfter)) {
            throw new IllegalStateException("yibao.retention.delivered-content-after must be positive (yibao.retention.enabled=false "
                    + "keeps the content for ever), was " + deliveredContentAfter);
        }
        if (notPositive(interval)) {
            throw new IllegalStateException("yibao.retention.interval must be positive, was " + interval);
        }
        this.clock = clock;
        this.removed = Counter.builder("yibao_ledger_content_removed")
                .description("Delivered messages whose payload and signed canonical message the ledger no longer holds (retention)")
                .register(meters);
        if (!enabled) {
            log.info("ledger retention: the content of delivered messages is kept for ever (yibao.retention.enabled=false)");
        } else {
            log.info("ledger retention: the content of delivered messages is removed {} after delivery, looked at every {}",
                    deliveredContentAfter, interval);
        }
    }

    private static boolean notPositive(Duration duration) {
        return duration.isNegative() || duration.isZero();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        if (enabled) {
            Duration first = interval.compareTo(Duration.ofMinutes(1)) < 0 ? interval : Duration.ofMinutes(1);
            tasks.addFixedDelayTask(new FixedDelayTask(this::sweep, interval, first));
        }
    }

    /** One sweep: every message delivered before now less the retention loses its content. Returns how many did. */
    public synchronized int sweep() {
        Instant before = clock.instant().minus(deliveredContentAfter);
        Instant from = sweptBefore == null ? Instant.EPOCH : sweptBefore.minus(OVERLAP);
        int total = 0;
        MessageLedger.ContentRemoval page;
        do {
            page = ledger.removeDeliveredContent(from, before, PAGE);
            total += page.removed();
            removed.increment(page.removed());
            from = page.lastChangedAt();
        } while (page.found() == PAGE);
        sweptBefore = before;
        if (total > 0) {
            log.info("ledger retention: removed the content of {} messages delivered before {}", total, before);
        }
        return total;
    }
}
