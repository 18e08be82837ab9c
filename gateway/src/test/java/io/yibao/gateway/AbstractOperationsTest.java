package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.yibao.certs.DevPki;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One gateway shared by the operations tests (health, metrics, circuit breaker, logs): its own ledger
 * and broker journal beside the end-to-end tests' ones, the same in-process platform simulator, and a
 * circuit breaker small and quick enough to watch (opens after 4 failed calls, tries again after 3 s), and
 * ingress back-pressure that refuses once 10 messages wait for processing. A broker plugin records which
 * transaction each queue send and acknowledgement belongs to ({@link BrokerTransactionRecorder}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(BrokerTransactionRecorder.class)
@AutoConfigureObservability(tracing = false) // tests turn metrics export off by default; these look at /actuator/prometheus
abstract class AbstractOperationsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOSPITAL = "client-H11010500001";

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestEnvironment.register(registry, "operations");
        registry.add("yibao.forwarding.circuit-breaker.sliding-window-size", () -> "4");
        registry.add("yibao.forwarding.circuit-breaker.minimum-number-of-calls", () -> "4");
        registry.add("yibao.forwarding.circuit-breaker.wait-duration-in-open-state", () -> "PT3S");
        registry.add("yibao.forwarding.circuit-breaker.permitted-number-of-calls-in-half-open-state", () -> "1");
        registry.add("yibao.platform.health.cache-for", () -> "PT1S");
        // Small enough for IngressBusyAnswers503WithRetryAfterTest to reach; the other tests send a few messages at a time.
        registry.add("yibao.ingress.maximum-waiting", () -> Integer.toString(IngressBusyAnswers503WithRetryAfterTest.MAXIMUM_WAITING));
    }

    /** Stops taking messages off the inbox (route {@code pipeline-process}): they wait there until {@link #startProcessing}. */
    void stopProcessing() throws Exception {
        camel.getRouteController().stopRoute("pipeline-process");
    }

    @AfterEach
    void startProcessing() throws Exception {
        camel.getRouteController().startRoute("pipeline-process");
    }

    /** Sends an HL7 v2 message as the sample hospital; returns the gateway's message id. */
    String send(String hl7) throws IOException {
        HttpResponse<String> accepted = post(hl7);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return JSON.readTree(accepted.body()).get("id").asText();
    }

    HttpResponse<String> post(String hl7) {
        return gateway(HttpRequest.newBuilder(uri("/api/v1/inbound/hospital-hl7v2"))
                .header("Content-Type", "x-application/hl7-v2+er7")
                .POST(HttpRequest.BodyPublishers.ofString(hl7, StandardCharsets.UTF_8)).build());
    }

    /** The message's status, waiting up to 30 s for a final one. */
    JsonNode waitForFinal(String id) throws IOException {
        return getJson("/api/v1/messages/" + id + "?wait=PT30S");
    }

    JsonNode getJson(String path) throws IOException {
        return JSON.readTree(get(path).body());
    }

    HttpResponse<String> get(String path) {
        return gateway(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    HttpResponse<String> gateway(HttpRequest request) {
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(HOSPITAL), request);
    }

    /** GET on the management port (plain HTTP on the loopback interface: no institution certificate). */
    HttpResponse<String> management(String path) {
        return GatewayTestEnvironment.send(HttpClient.newHttpClient(),
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).GET().build());
    }

    JsonNode managementJson(String path) throws IOException {
        return JSON.readTree(management(path).body());
    }

    URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    /** Calls the platform simulator's API (faults, inspection) as the platform's own certificate. */
    static HttpResponse<String> simulator(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + GatewayTestEnvironment.SIMULATOR_PORT + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(DevPki.PLATFORM_TLS), request.build());
    }

    /** The sample admission (a Chinese name and a resident ID in PID) with its own message control id. */
    static String sample(String messageControlId) {
        try {
            return Files.readString(Path.of("samples/adt-a01.hl7"), StandardCharsets.UTF_8).replace("ADM0001", messageControlId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
