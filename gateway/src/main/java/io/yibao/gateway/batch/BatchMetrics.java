package io.yibao.gateway.batch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Batch metrics, for Prometheus:
 * <ul>
 *   <li>{@code yibao_batches_total{adapter, outcome}}: batch files by outcome, one of {@code received},
 *       {@code duplicate}, {@code rejected}, {@code complete};</li>
 *   <li>{@code yibao_batch_records_total{adapter, step}}: records of batch files put into the ledger
 *       ({@code split}) or recognised as already sent ({@code duplicate}); the per-record outcomes are
 *       the messages' own ({@code yibao_messages_total}).</li>
 * </ul>
 * Labels are the adapter id and fixed words only.
 */
@Component
public class BatchMetrics {
    public static final String BATCHES = "yibao.batches";
    public static final String RECORDS = "yibao.batch.records";
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,40}");

    private final MeterRegistry meters;

    public BatchMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public void batch(String adapter, String outcome) {
        Counter.builder(BATCHES).description("Batch files by outcome").tag("adapter", label(adapter)).tag("outcome", outcome)
                .register(meters).increment();
    }

    public void records(String adapter, String step, long count) {
        Counter.builder(RECORDS).description("Records of batch files put into the ledger (split) or already sent (duplicate)")
                .tag("adapter", label(adapter)).tag("step", step).register(meters).increment(count);
    }

    private static String label(String value) {
        return value != null && LABEL.matcher(value).matches() ? value : "other";
    }
}
