package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /actuator/prometheus} after a delivered message: step counters, latency, queue depths, Camel routes, how soon the
 * institutions' client certificates expire.
 */
class GatewayMetricsTest extends AbstractOperationsTest {

    @Test
    void aDeliveredMessageIsCountedPerStepWithItsLatencyAndNoInstitutionInTheLabels() throws Exception {
        String id = send(sample("ADM-OPS-METRICS-1"));
        assertThat(waitForFinal(id).get("status").asText()).isEqualTo("DELIVERED");
        assertThat(post(sample("ADM-OPS-METRICS-1")).statusCode()).isEqualTo(200); // a resubmission

        String metrics = management("/actuator/prometheus").body();

        assertThat(value(metrics, "yibao_messages_total{", "step=\"received\"", "adapter=\"hospital-hl7v2\"", "event=\"none\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "yibao_messages_total{", "step=\"duplicate\"", "adapter=\"hospital-hl7v2\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "yibao_messages_total{", "step=\"signed\"", "event=\"2401\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "yibao_messages_total{", "step=\"delivered\"", "adapter=\"hospital-hl7v2\"", "event=\"2401\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "yibao_message_end_to_end_seconds_count{", "adapter=\"hospital-hl7v2\"", "event=\"2401\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics).contains("yibao_message_end_to_end_seconds_bucket{");
        for (String queue : List.of("yibao.inbox", "yibao.chunks", "yibao.outbox", "yibao.dead")) {
            assertThat(value(metrics, "yibao_queue_messages{", "queue=\"" + queue + "\"")).isGreaterThanOrEqualTo(0);
        }
        assertThat(value(metrics, "yibao_ledger_messages{", "status=\"signed\"")).isGreaterThanOrEqualTo(0);
        // the test gateway's ledger is an H2 file: its figures are read (NaN if not)
        assertThat(value(metrics, "yibao_ledger_file_bytes")).isPositive();
        assertThat(value(metrics, "yibao_ledger_chunks")).isPositive();
        assertThat(value(metrics, "yibao_platform_circuit_breaker_state{", "state=\"closed\"")).isEqualTo(1);
        assertThat(metrics).contains("routeId=\"platform-forward\"").contains("routeId=\"pipeline-process\"");
        // the sample hospital's certificate, presented for the request above: valid for at most 397 days
        assertThat(value(metrics, "yibao_client_certificate_expiry_seconds")).isPositive().isLessThanOrEqualTo(397 * 86400.0);
        assertThat(metrics).doesNotContain("H11010500001").doesNotContain(id);
    }

    /** The value of the first sample line of a metric whose labels include all the given ones. */
    private static double value(String metrics, String prefix, String... labels) {
        return Arrays.stream(metrics.split("\n"))
                .filter(line -> line.startsWith(prefix) && Arrays.stream(labels).allMatch(line::contains))
                .findFirst()
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no " + prefix + String.join(",", labels) + " in\n" + metrics));
    }
}
