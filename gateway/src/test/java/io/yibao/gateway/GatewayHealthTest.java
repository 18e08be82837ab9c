package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.yibao.gateway.config.TlsConfiguration;
import io.yibao.gateway.operations.PlatformHealthIndicator;
import io.yibao.gateway.platform.PlatformCircuitBreaker;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.ssl.SslBundles;

/** {@code /actuator/health} on the management port only: database, broker and platform; readiness leaves the platform out. */
class GatewayHealthTest extends AbstractOperationsTest {
    @Autowired
    SslBundles sslBundles;
    @Autowired
    PlatformCircuitBreaker breaker;

    @Test
    void healthShowsDatabaseBrokerAndPlatformUp() throws Exception {
        JsonNode health = managementJson("/actuator/health");

        assertThat(health.get("status").asText()).as(health.toString()).isEqualTo("UP");
        JsonNode components = health.get("components");
        assertThat(components.at("/db/status").asText()).isEqualTo("UP");
        assertThat(components.at("/jms/status").asText()).isEqualTo("UP");
        assertThat(components.at("/platform/status").asText()).isEqualTo("UP");
        assertThat(components.at("/platform/details/tls").asText()).startsWith("TLSv1.");
        assertThat(components.at("/platform/details/circuitBreaker").asText()).isEqualTo("CLOSED");
        assertThat(components.at("/signingCertificate/status").asText()).isEqualTo("UP");
        assertThat(components.at("/signingCertificate/details/subject").asText()).contains("CN=gateway-signing");
        assertThat(components.at("/tlsCertificate/status").asText()).isEqualTo("UP");
        assertThat(components.at("/tlsCertificate/details/subject").asText()).contains("CN=gateway-tls");
    }

    @Test
    void readinessIsTheGatewaysOwnAndLeavesThePlatformOut() throws Exception {
        JsonNode readiness = managementJson("/actuator/health/readiness");

        assertThat(readiness.get("status").asText()).isEqualTo("UP");
        assertThat(readiness.get("components").fieldNames()).toIterable().containsExactlyInAnyOrder("readinessState", "db", "jms");
        assertThat(managementJson("/actuator/health/liveness").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void institutionsOnTheApiPortReachNoActuatorEndpoint() {
        assertThat(management("/actuator/prometheus").statusCode()).isEqualTo(200);
        for (String path : new String[] {"/actuator/health", "/actuator/prometheus", "/actuator"}) {
            assertThat(get(path).statusCode()).as("%s on the institutions' mutual-TLS port", path).isEqualTo(404);
        }
    }

    @Test
    void anUnreachablePlatformIsDownWithTheReasonAndTheProbeIsCached() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PlatformHealthIndicator indicator = new PlatformHealthIndicator(sslBundles.getBundle(TlsConfiguration.BUNDLE).createSslContext(),
                URI.create("https://localhost:" + closedPort + "/api/v1/messages"), Duration.ofSeconds(2), Duration.ofMinutes(1),
                breaker, Clock.systemUTC());

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason").toString()).startsWith("unreachable: ").contains("ConnectException");
        assertThat(health.getDetails()).containsEntry("endpoint", "localhost:" + closedPort);
        assertThat(indicator.health().getDetails().get("checkedAt")).isEqualTo(health.getDetails().get("checkedAt"));
    }
}
