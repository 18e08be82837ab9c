package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A run of 503s opens the circuit breaker: the platform is reported DOWN, forwarding stops hammering it,
 * and messages wait (none dead-lettered although the outage lasts longer than the whole retry budget);
 * once the platform is back every message is delivered exactly once.
 */
class ForwardingCircuitBreakerTest extends AbstractOperationsTest {
    private static final int MESSAGES = 5;
    private static final int MAXIMUM_ATTEMPTS = 6;
    /** Longer than the retry budget without a breaker (0.2 + 0.4 + 0.8 + 1 + 1 s in the tests' settings). */
    private static final Duration OUTAGE = Duration.ofSeconds(8);

    @AfterEach
    void resetFaults() {
        simulator("DELETE", "/api/v1/admin/faults", null);
    }

    @Test
    void aRunOf503sOpensTheBreakerMessagesWaitAndAreDeliveredOnceWhenThePlatformIsBack() throws Exception {
        long faultedBefore = faulted();
        assertThat(simulator("POST", "/api/v1/admin/faults", "{\"mode\":\"status\",\"status\":503,\"count\":-1}").statusCode()).isEqualTo(200);
        Instant outageStart = Instant.now();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            ids.add(send(sample("ADM-OPS-CB-" + i)));
        }

        JsonNode platform = waitForPlatform("DOWN", Duration.ofSeconds(20));
        assertThat(platform.at("/details/circuitBreaker").asText()).isEqualTo("OPEN");
        assertThat(platform.at("/details/reason").asText()).contains("circuit breaker open").contains("503");
        assertThat(managementJson("/actuator/health/readiness").get("status").asText()).isEqualTo("UP");

        Duration left = OUTAGE.minus(Duration.between(outageStart, Instant.now()));
        if (!left.isNegative()) {
            Thread.sleep(left.toMillis());
        }
        for (String id : ids) {
            assertThat(getJson("/api/v1/messages/" + id).get("status").asText()).as(id).isEqualTo("SIGNED");
        }
        long faultedCalls = faulted() - faultedBefore;
        assertThat(faultedCalls).as("calls that reached the failing platform").isLessThan(MESSAGES * MAXIMUM_ATTEMPTS / 2);
        String metrics = management("/actuator/prometheus").body();
        assertThat(metrics).contains("yibao_platform_circuit_breaker_state{state=\"open\"} 1.0")
                .containsPattern("yibao_platform_calls_not_permitted_total(\\{[^}]*\\})? [1-9]");

        simulator("DELETE", "/api/v1/admin/faults", null);

        for (String id : ids) {
            assertThat(waitForFinal(id).get("status").asText()).as(id).isEqualTo("DELIVERED");
            assertThat(GatewayTestEnvironment.deliveriesOf(id)).as("deliveries of " + id).isEqualTo(1);
        }
        assertThat(waitForPlatform("UP", Duration.ofSeconds(10)).at("/details/circuitBreaker").asText()).isEqualTo("CLOSED");
    }

    private JsonNode waitForPlatform(String status, Duration within) throws Exception {
        Instant until = Instant.now().plus(within);
        JsonNode platform = managementJson("/actuator/health/platform");
        while (!platform.get("status").asText().equals(status) && Instant.now().isBefore(until)) {
            Thread.sleep(200);
            platform = managementJson("/actuator/health/platform");
        }
        assertThat(platform.get("status").asText()).as(platform.toString()).isEqualTo(status);
        return platform;
    }

    private static long faulted() throws Exception {
        return JSON.readTree(simulator("GET", "/api/v1/stats", null).body()).get("faulted").asLong();
    }
}
