package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.certs.DevPki;
import io.yibao.simulator.PlatformSimulatorApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the integration tests that run the real gateway jar share: a development PKI in a temporary
 * directory, the platform simulator in this JVM (its faults and its store by idempotency key), gateway
 * processes started as their own JVMs on free ports (API, MLLP, management) and killed with SIGKILL, and
 * HTTPS clients presenting the PKI's institution certificates.
 */
final class GatewayProcesses implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOSPITAL = "client-H11010500001";
    static final String PHARMACY = "client-P11010500002";
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(120);

    /** One gateway JVM, its ports and its output. */
    record Gateway(Process process, int port, int managementPort, Path log) {}

    final Path dir;
    final Path pki;
    private final ConfigurableApplicationContext simulator;
    final int simulatorPort;
    final HttpClient hospital;
    private final HttpClient platformAdmin;
    /** Where the gateways' (and the brokers') output goes: {@code gateway/target/<logFolder>/}. */
    final Path logs;
    private final List<Gateway> started = new ArrayList<>();
    private int starts;

    /** Creates the PKI and starts the simulator; gateway logs go to {@code gateway/target/<logFolder>/}. */
    GatewayProcesses(String logFolder) throws Exception {
        dir = Files.createTempDirectory("yibao-" + logFolder);
        pki = dir.resolve("pki");
        DevPki.init(pki);
        logs = Files.createDirectories(Path.of("target", logFolder));
        // The gateway's class path is the test's: keep its broker, database and Camel out of the simulator.
        simulator = PlatformSimulatorApplication.start("--server.port=0", "--simulator.pki-dir=" + pki,
                "--spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jms.artemis.ArtemisAutoConfiguration,"
                        + "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration,"
                        + "org.apache.camel.spring.boot.CamelAutoConfiguration");
        simulatorPort = Integer.parseInt(simulator.getEnvironment().getProperty("local.server.port"));
        hospital = client(HOSPITAL);
        platformAdmin = client(DevPki.PLATFORM_TLS);
    }

    /** Kills what still runs, stops the simulator and removes the temporary directory (PKI, ledgers, journals). */
    @Override
    public void close() throws InterruptedException {
        killAll();
        simulator.close();
        GatewayTestEnvironment.deleteQuietly(dir);
    }

    // --- gateways -------------------------------------------------------------------------------------

    /**
     * Starts the gateway jar in {@code workDir} with the PKI, free ports, this simulator as the platform and
     * fast forwarding retries, plus {@code arguments} (where its ledger and broker are); returns once its
     * readiness probe answers 200. Its output goes to {@code <logFolder>/<logName>-<n>.log}.
     */
    Gateway start(Path workDir, String logName, String... arguments) throws Exception {
        Path jar = Path.of(System.getProperty("yibao.gateway.jar", "target/yibao-gateway.jar")).toAbsolutePath();
        assertThat(jar).as("the repackaged gateway jar (built in package)").isRegularFile();
        int port = freePort();
        int managementPort = freePort();
        Path log = logs.resolve(logName + "-" + (++starts) + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8",
                "-jar", jar.toString(),
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                // A free MLLP port too: the default 2575 may be held by another gateway on the machine (a bench run).
                "--yibao.mllp.port=" + freePort(),
                "--yibao.pki=" + pki,
                "--yibao.platform.url=https://localhost:" + simulatorPort + "/api/v1/messages",
                "--yibao.forwarding.initial-delay=PT0.2S",
                "--yibao.forwarding.maximum-delay=PT1S",
                "--yibao.forwarding.maximum-attempts=100000",
                "--management.endpoint.health.probes.enabled=true"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(Files.createDirectories(workDir).toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        Gateway gateway = new Gateway(process, port, managementPort, log);
        started.add(gateway);
        URI readiness = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
        HttpClient plain = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            assertThat(process.isAlive()).as("the gateway exited during start-up, see %s", log.toAbsolutePath()).isTrue();
            try {
                if (plain.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return gateway;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(Instant.now()).as("the gateway was not ready within %s, see %s", START_TIMEOUT, log.toAbsolutePath())
                    .isBefore(deadline);
            Thread.sleep(250);
        }
    }

    /** Stops the gateway as an operator does, with SIGTERM, and waits for it to exit. */
    static void stop(Gateway gateway) throws InterruptedException {
        gateway.process().destroy();
        assertThat(gateway.process().waitFor(2, TimeUnit.MINUTES)).as("the gateway exited after SIGTERM").isTrue();
    }

    static void kill(Gateway gateway) throws InterruptedException {
        gateway.process().destroyForcibly();
        assertThat(gateway.process().waitFor(30, TimeUnit.SECONDS)).as("the gateway died of SIGKILL").isTrue();
    }

    /** Kills every gateway this fixture started that still runs (after each test). */
    void killAll() throws InterruptedException {
        for (Gateway gateway : started) {
            if (gateway.process().isAlive()) {
                kill(gateway);
            }
        }
        started.clear();
    }

    static HttpRequest.Builder request(Gateway gateway, String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + path)).timeout(Duration.ofSeconds(60));
    }

    /** Sends admissions with distinct MSH-10s as the hospital; returns MSH-10 → gateway message id, all answered 202. */
    Map<String, String> submit(Gateway gateway, String prefix, int count) throws Exception {
        String sample = Files.readString(Path.of("samples/adt-a01.hl7"), StandardCharsets.UTF_8);
        Map<String, String> ids = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            String controlId = prefix + i;
            HttpResponse<String> response = send(hospital, request(gateway, "/api/v1/inbound/hospital-hl7v2")
                    .header("Content-Type", "x-application/hl7-v2+er7")
                    .POST(HttpRequest.BodyPublishers.ofString(sample.replace("|ADM0001|", "|" + controlId + "|"), StandardCharsets.UTF_8))
                    .build());
            assertThat(response.statusCode()).as("%s: %s", controlId, response.body()).isEqualTo(202);
            ids.put(controlId, JSON.readTree(response.body()).get("id").asText());
        }
        assertThat(ids.values()).doesNotHaveDuplicates();
        return ids;
    }

    /** The message's status as the hospital sees it, null if the gateway does not answer. */
    String status(Gateway gateway, String id) {
        try {
            HttpResponse<String> response = send(hospital, request(gateway, "/api/v1/messages/" + id).GET().build());
            return response.statusCode() == 200 ? JSON.readTree(response.body()).path("status").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Exactly once as the platform and the gateway see it: every entry the simulator lists is stored once, under
     * its own key, with that key as Bundle identifier, and {@code stored} (read after the last delivery) holds each
     * of {@code ids}; the gateway says DELIVERED for each, with the submission's MSH-10 as source id and the receipt
     * the platform stored for that key. Whether the platform holds anything else is the caller's to check.
     */
    void assertExactlyOnce(Gateway gateway, Map<String, String> ids, Map<String, JsonNode> stored) throws Exception {
        assertThat(stored.keySet()).as("idempotency keys stored by the platform").containsAll(ids.values());
        List<JsonNode> all = new ArrayList<>();
        JSON.readTree(simulatorCall("GET", "/api/v1/messages", null).body()).forEach(all::add);
        assertThat(all).as("entries in the platform's store, one per key").hasSize(stored.size());
        for (JsonNode entry : all) {
            String key = entry.at("/receipt/idempotencyKey").asText();
            assertThat(entry.path("stored").asInt()).as("stored copies of %s", key).isEqualTo(1);
            assertThat(entry.path("deliveries").asInt()).as("accepted POSTs of %s", key).isGreaterThanOrEqualTo(1);
            assertThat(entry.at("/receipt/bundleId").asText()).as("Bundle.identifier of %s", key).isEqualTo(key);
        }
        for (Map.Entry<String, String> submission : ids.entrySet()) {
            String id = submission.getValue();
            HttpResponse<String> response = send(hospital, request(gateway, "/api/v1/messages/" + id + "?wait=PT30S").GET().build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode view = JSON.readTree(response.body());
            assertThat(view.path("status").asText()).as(view.toString()).isEqualTo("DELIVERED");
            assertThat(view.path("sourceMessageId").asText()).isEqualTo(submission.getKey());
            assertThat(view.at("/receipt/idempotencyKey").asText()).isEqualTo(id);
            assertThat(view.at("/receipt/receiptId").asText()).isEqualTo(stored.get(id).at("/receipt/receiptId").asText());
        }
    }

    // --- the simulator --------------------------------------------------------------------------------

    /** No faults, nothing stored. */
    void resetPlatform() throws Exception {
        assertThat(simulatorCall("DELETE", "/api/v1/admin/faults", null).statusCode()).isEqualTo(204);
        assertThat(simulatorCall("DELETE", "/api/v1/admin/messages", null).statusCode()).isEqualTo(204);
    }

    /** Every POST answered 503 until {@link #platformUp}. */
    void platformDown() throws Exception {
        HttpResponse<String> response = simulatorCall("POST", "/api/v1/admin/faults", "{\"mode\":\"status\",\"status\":503,\"count\":-1}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    void platformUp() throws Exception {
        assertThat(simulatorCall("DELETE", "/api/v1/admin/faults", null).statusCode()).isEqualTo(204);
    }

    JsonNode platformStats() {
        try {
            return JSON.readTree(simulatorCall("GET", "/api/v1/stats", null).body());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /** The simulator's store by idempotency key. */
    Map<String, JsonNode> storedBySimulator() throws Exception {
        Map<String, JsonNode> stored = new LinkedHashMap<>();
        for (JsonNode entry : JSON.readTree(simulatorCall("GET", "/api/v1/messages", null).body())) {
            stored.merge(entry.at("/receipt/idempotencyKey").asText(), entry, (first, second) -> {
                throw new AssertionError("the simulator lists key " + first.at("/receipt/idempotencyKey").asText() + " twice");
            });
        }
        return stored;
    }

    /** Waits until the simulator holds every id; on time-out the assertion names the missing ones. */
    Map<String, JsonNode> waitForAllStored(Map<String, String> ids) throws Exception {
        Instant deadline = Instant.now().plus(DELIVERY_TIMEOUT);
        Map<String, JsonNode> stored = storedBySimulator();
        while (!stored.keySet().containsAll(ids.values()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            stored = storedBySimulator();
        }
        assertThat(stored.keySet()).as("keys the platform holds after %s (MSH-10 -> id: %s)", DELIVERY_TIMEOUT, ids)
                .containsAll(ids.values());
        return stored;
    }

    private HttpResponse<String> simulatorCall(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + simulatorPort + path))
                .timeout(Duration.ofSeconds(30));
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(platformAdmin, request.build());
    }

    // --- plumbing -------------------------------------------------------------------------------------

    static void waitUntil(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("timed out after %s waiting until %s", timeout, what).isBefore(deadline);
            Thread.sleep(250);
        }
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** An HTTPS client presenting one of the development PKI's EC certificates. */
    HttpClient client(String leafName) {
        return HttpClient.newBuilder().sslContext(TestTls.sslContext(pki, leafName)).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
