package io.yibao.gateway.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.yibao.gateway.ledger.LedgerEntry;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The gateway's message metrics, for Prometheus:
 * <ul>
 *   <li>{@code yibao_messages_total{step, adapter, event}}: messages per step, with step one of
 *       {@code received}, {@code duplicate}, {@code refused_busy} (ingress back-pressure), {@code signed}, {@code rejected}, {@code delivered},
 *       {@code dead_lettered};</li>
 *   <li>{@code yibao_message_end_to_end_seconds{adapter, event}}: from the ledger's received time to
 *       delivery (histogram buckets, for quantiles);</li>
 *   <li>{@code yibao_transmissions_total{outcome}}: chunks of batch records forwarded in one request, {@code answered}
 *       (per message) or {@code failed} (its messages then forwarded one by one).</li>
 * </ul>
 * Labels are only the adapter id and the event code (the national transaction code, e.g. 2401), both
 * from small fixed sets; never an institution, a person or anything from a payload. {@code event} is
 * {@code none} where it is not known yet (received, duplicate).
 */
@Component
public class MessageMetrics {
    public static final String MESSAGES = "yibao.messages";
    public static final String END_TO_END = "yibao.message.end.to.end";
    public static final String TRANSMISSIONS = "yibao.transmissions";
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,40}");

    /** The step a message reached. */
    public enum Step {
        RECEIVED, DUPLICATE, REFUSED_BUSY, SIGNED, REJECTED, DELIVERED, DEAD_LETTERED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry meters;
    private final Clock clock;

    public MessageMetrics(MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
    }

    /** Counts a message reaching a step; {@code event} may be null. */
    public void count(Step step, String adapter, String event) {
        Counter.builder(MESSAGES)
                .description("Messages per step of the gateway, adapter and event")
                .tag("step", step.label())
                .tag("adapter", label(adapter))
                .tag("event", label(event))
                .register(meters)
                .increment();
    }

    /** Counts a delivery and records its end-to-end latency from the ledger's received time. */
    public void delivered(LedgerEntry entry) {
        count(Step.DELIVERED, entry.adapter(), entry.event());
        if (entry.receivedAt() != null) {
            Duration latency = Duration.between(entry.receivedAt(), clock.instant());
            Timer.builder(END_TO_END)
                    .description("From receipt by the gateway to delivery to the platform")
                    .tag("adapter", label(entry.adapter()))
                    .tag("event", label(entry.event()))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(10))
                    .maximumExpectedValue(Duration.ofHours(1))
                    .register(meters)
                    .record(latency.isNegative() ? Duration.ZERO : latency);
        }
    }

    /** Counts a transmission of many messages ({@code answered}: the platform answered per message; {@code failed}: not at all). */
    public void transmission(boolean answered) {
        Counter.builder(TRANSMISSIONS)
                .description("Transmissions of a chunk of messages to the platform in one request, by outcome")
                .tag("outcome", answered ? "answered" : "failed")
                .register(meters)
                .increment();
    }

    /** Keeps labels to a small, safe alphabet: anything else is reported as {@code other}. */
    private static String label(String value) {
        if (value == null || value.isEmpty()) {
            return "none";
        }
        return LABEL.matcher(value).matches() ? value : "other";
    }
}
