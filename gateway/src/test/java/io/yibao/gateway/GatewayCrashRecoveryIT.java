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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The acceptance check for durability: the real gateway jar, started as its own JVM, is killed with
 * SIGKILL ({@link Process#destroyForcibly()}) and restarted on the same ledger and broker journal; every
 * message it answered 202 must reach the platform simulator <em>exactly once</em>.
 *
 * <p>"Exactly once" is checked as the platform sees it, which is what the idempotency key is for:
 * <ul>
 *   <li>the simulator holds exactly the set of message ids the gateway answered 202, each stored once
 *       (no message lost, no extra key: a submission was never forwarded under a second key), and the
 *       stored Bundle's identifier is that id;</li>
 *   <li>the gateway's own ledger says DELIVERED for every id, with the platform's receipt for that key and
 *       the submission's MSH-10 as its source message id (one submission, one id);</li>
 *   <li>when the platform was down during the crash, no POST could have been accepted before it, so the
 *       simulator must also count exactly one accepted POST per key ({@code deliveries == 1}). When the
 *       platform is up during the crash, a POST can be accepted and the gateway killed before it records
 *       the receipt; the redelivery then repeats the POST with the same key, the simulator answers 200
 *       with the first receipt and stores nothing, so {@code deliveries} may exceed 1 there while the
 *       message is still stored once.</li>
 * </ul>
 *
 * <p>Runs in {@code verify} (failsafe). Alone, without the unit tests:
 * {@code mvn -B -pl gateway verify -Dit.test=GatewayCrashRecoveryIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 * The gateway's output goes to {@code gateway/target/crash-it/<scenario>-<n>.log}.
 */
class GatewayCrashRecoveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSPITAL = "client-H11010500001";
    private static final String PHARMACY = "client-P11010500002";
    /** Messages submitted before the crash with time to reach forwarding, and right before it. */
    private static final int RETRYING = 20;
    private static final int FRESH = 10;
    /** Records of the batch killed while splitting. */
    private static final int BATCH_RECORDS = 1000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(120);

    private static Path dir;
    private static Path pki;
    private static ConfigurableApplicationContext simulator;
    private static int simulatorPort;
    private static HttpClient hospital;
    private static HttpClient platformAdmin;

    private final List<Process> started = new ArrayList<>();
    private final Map<Long, Integer> ports = new HashMap<>();
    private Path data;
    private String scenario;
    private int starts;

    @BeforeAll
    static void startSimulator() throws Exception {
        dir = Files.createTempDirectory("yibao-crash-it");
        pki = dir.resolve("pki");
        DevPki.init(pki);
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

    @AfterAll
    static void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @BeforeEach
    void freshState(TestInfo test) throws Exception {
        scenario = test.getTestMethod().orElseThrow().getName();
        data = Files.createDirectories(dir.resolve(scenario));
        assertThat(simulatorCall("DELETE", "/api/v1/admin/faults", null).statusCode()).isEqualTo(204);
        assertThat(simulatorCall("DELETE", "/api/v1/admin/messages", null).statusCode()).isEqualTo(204);
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : started) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The platform is down (every POST answered 503). A first batch is submitted, translated, signed and
     * queued for forwarding, the forwarding consumers retrying against the platform; a second batch is
     * submitted and the gateway killed the moment its last 202 arrives (those messages anywhere between
     * the ledger insert, the inbox and signing). The platform comes up, the gateway restarts on the same
     * ledger and journal: every message is delivered, stored once, with one accepted POST per key.
     */
    @Test
    void killedWhilePlatformIsDownDeliversEveryAcceptedMessageExactlyOnce() throws Exception {
        platformDown();
        Process gateway = startGateway();

        Map<String, String> retrying = submit(gateway, "CRASH-R-", RETRYING);
        waitUntil("the first batch is signed and forwarding is being retried", DELIVERY_TIMEOUT,
                () -> retrying.values().stream().allMatch(id -> "SIGNED".equals(gatewayStatus(gateway, id)))
                        && platformStats().path("faulted").asInt() >= 8);
        Map<String, String> fresh = submit(gateway, "CRASH-S-", FRESH);
        kill(gateway);

        assertThat(storedBySimulator()).as("nothing was delivered while the platform was down").isEmpty();
        platformUp();
        Process restarted = startGateway();

        Map<String, String> ids = new LinkedHashMap<>(retrying);
        ids.putAll(fresh);
        Map<String, JsonNode> stored = waitForAllStored(ids);
        assertExactlyOnce(restarted, ids, stored);
        assertThat(stored.values()).allSatisfy(entry -> assertThat(entry.path("deliveries").asInt())
                .as("accepted POSTs for %s (the platform was down until after the crash)", entry.at("/receipt/idempotencyKey").asText())
                .isEqualTo(1));
    }

    /**
     * A batch file of {@link #BATCH_RECORDS} HL7 messages is uploaded and the gateway killed while it is
     * splitting the file (chunks of 5 records: some chunks committed and queued, the rest not yet read).
     * After the restart, splitting resumes at its checkpoint: see {@link #killWhileSplittingAndRestart}.
     */
    @Test
    void killedWhileSplittingABatchDeliversEveryRecordExactlyOnce() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("BHS|^~\\&|HIS|H11010500001|||20261120090000||||CRASH-BATCH");
        String sample = Files.readString(Path.of("samples/adt-a01.hl7"), StandardCharsets.UTF_8).strip();
        List<String> controlIds = new ArrayList<>();
        for (int i = 1; i <= BATCH_RECORDS; i++) {
            controlIds.add("CRASH-B-" + i);
            lines.add(sample.replace("|ADM0001|", "|CRASH-B-" + i + "|"));
        }
        lines.add("BTS|" + BATCH_RECORDS);
        killWhileSplittingAndRestart(HOSPITAL, "hospital-hl7v2", "crash.hl7",
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), controlIds, Map.of());
    }

    /**
     * The same for a pharmacy CSV file of {@link #BATCH_RECORDS} sales rows made from the pharmacy-csv module's
     * own sample row (its header and layout), three of them bad: "exactly once <em>or quarantined</em>" — the bad
     * rows end REJECTED with their row numbers and rules and are never delivered, every good row is stored once.
     */
    @Test
    void killedWhileSplittingAPharmacyCsvBatchDeliversEveryGoodRowOnceAndQuarantinesTheBadOnes() throws Exception {
        List<String> sample = Files.readAllLines(Path.of(
                "../adapters/pharmacy-csv/src/main/resources/yibao-mappings/pharmacy-csv/samples/sales-utf8.csv"), StandardCharsets.UTF_8);
        String row = sample.get(1);
        String saleNo = row.split(",")[2];
        Map<Long, String> bad = Map.of(100L, "map-required", 500L, "map-unknown-code", 900L, "map-csv-columns");
        List<String> lines = new ArrayList<>(List.of(sample.get(0)));
        List<String> goodSourceIds = new ArrayList<>();
        for (long i = 1; i <= BATCH_RECORDS; i++) {
            String number = "XS%013d".formatted(20261123_00000L + i);
            String line = row.replace("," + saleNo + ",", "," + number + ",");
            switch (bad.getOrDefault(i, "good")) {
                case "map-required" -> line = row.replace("," + saleNo + ",", ",,");
                case "map-unknown-code" -> line = line.replace(",6907654321098,", ",6900000000000,");
                case "map-csv-columns" -> line = line + ",多出的一列";
                default -> goodSourceIds.add(number + "-1");
            }
            lines.add(line);
        }
        killWhileSplittingAndRestart(PHARMACY, "pharmacy-csv", "crash.csv",
                (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8), goodSourceIds, bad);
    }

    /**
     * Uploads the file, kills the gateway while it is splitting it (chunks of 5), restarts it on the same ledger
     * and journal and waits until the batch is COMPLETE: the simulator holds exactly one stored entry per good
     * record, under distinct keys, each the id of a DELIVERED ledger message whose source id is one of
     * {@code goodSourceIds}; every record in {@code badRecords} (record number → rule) is REJECTED with that rule
     * and never delivered; none is counted twice.
     */
    private void killWhileSplittingAndRestart(String clientName, String adapter, String fileName, byte[] file,
                                              List<String> goodSourceIds, Map<Long, String> badRecords) throws Exception {
        HttpClient client = client(clientName);
        Process gateway = startGateway("--yibao.batch.chunk-size=5");
        HttpResponse<String> accepted = send(client, request(gateway, "/api/v1/batches/" + adapter + "?name=" + fileName)
                .POST(HttpRequest.BodyPublishers.ofByteArray(file)).build());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String batchId = JSON.readTree(accepted.body()).get("id").asText();

        JsonNode atKill = null;
        Instant deadline = Instant.now().plus(DELIVERY_TIMEOUT);
        while (atKill == null) {
            assertThat(Instant.now()).as("the batch was seen splitting").isBefore(deadline);
            JsonNode view = JSON.readTree(send(client, request(gateway, "/api/v1/batches/" + batchId).GET().build()).body());
            assertThat(view.path("status").asText()).as("status before the kill: %s", view).isIn("RECEIVED", "CHECKING", "SPLITTING");
            if ("SPLITTING".equals(view.path("status").asText()) && view.path("recordsSplit").asLong() >= 50) {
                atKill = view;
            }
        }
        kill(gateway);
        assertThat(atKill.path("recordsSplit").asLong()).as("killed mid-split").isLessThan(BATCH_RECORDS);

        Process restarted = startGateway("--yibao.batch.chunk-size=5", "--yibao.batch.stalled-after=PT5S");
        JsonNode view;
        Instant completeBy = Instant.now().plus(DELIVERY_TIMEOUT.multipliedBy(2));
        do {
            Thread.sleep(500);
            view = JSON.readTree(send(client, request(restarted, "/api/v1/batches/" + batchId).GET().build()).body());
            assertThat(Instant.now()).as("batch complete after the restart: %s", view).isBefore(completeBy);
        } while (!"COMPLETE".equals(view.path("status").asText()));
        assertThat(view.at("/recordCounts/DELIVERED").asLong()).as(view.toString()).isEqualTo(goodSourceIds.size());
        assertThat(view.at("/recordCounts/REJECTED").asLong()).as(view.toString()).isEqualTo(badRecords.size());
        assertThat(view.at("/recordCounts/DUPLICATE").asLong()).isZero();
        assertThat(view.path("undeliveredRecords")).extracting(r -> r.path("record").asLong())
                .containsExactlyInAnyOrderElementsOf(badRecords.keySet());
        for (JsonNode record : view.path("undeliveredRecords")) {
            assertThat(record.path("status").asText()).as(record.toString()).isEqualTo("REJECTED");
            assertThat(record.path("issues")).as(record.toString())
                    .anySatisfy(issue -> assertThat(issue.path("rule").asText()).isEqualTo(badRecords.get(record.path("record").asLong())));
        }

        Map<String, JsonNode> stored = storedBySimulator();
        assertThat(stored).as("entries the platform holds").hasSize(goodSourceIds.size());
        List<String> sourceIds = new ArrayList<>();
        for (JsonNode entry : stored.values()) {
            String key = entry.at("/receipt/idempotencyKey").asText();
            assertThat(entry.path("stored").asInt()).as("stored copies of %s", key).isEqualTo(1);
            JsonNode message = JSON.readTree(send(client, request(restarted, "/api/v1/messages/" + key).GET().build()).body());
            assertThat(message.path("status").asText()).as(message.toString()).isEqualTo("DELIVERED");
            sourceIds.add(message.path("sourceMessageId").asText());
        }
        assertThat(sourceIds).as("source ids of the delivered records").containsExactlyInAnyOrderElementsOf(goodSourceIds);
    }

    // --- assertions -------------------------------------------------------------------------------------

    private void assertExactlyOnce(Process gateway, Map<String, String> ids, Map<String, JsonNode> stored) throws Exception {
        assertThat(stored.keySet()).as("idempotency keys stored by the platform").containsExactlyInAnyOrderElementsOf(ids.values());
        List<JsonNode> all = new ArrayList<>();
        JSON.readTree(simulatorCall("GET", "/api/v1/messages", null).body()).forEach(all::add);
        assertThat(all).as("entries in the platform's store").hasSize(ids.size());
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

    // --- the gateway process ----------------------------------------------------------------------------

    private Process startGateway(String... extraArguments) throws Exception {
        Path jar = Path.of(System.getProperty("yibao.gateway.jar", "target/yibao-gateway.jar")).toAbsolutePath();
        assertThat(jar).as("the repackaged gateway jar (built in package)").isRegularFile();
        int port = freePort();
        int managementPort = freePort();
        Path log = Files.createDirectories(Path.of("target", "crash-it")).resolve(scenario + "-" + (++starts) + ".log");
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
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("ledger"),
                "--spring.artemis.embedded.data-directory=" + data.resolve("broker"),
                "--yibao.forwarding.initial-delay=PT0.2S",
                "--yibao.forwarding.maximum-delay=PT1S",
                "--yibao.forwarding.maximum-attempts=100000",
                "--management.endpoint.health.probes.enabled=true"));
        command.addAll(List.of(extraArguments));
        Process process = new ProcessBuilder(command).directory(data.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        started.add(process);
        URI readiness = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            assertThat(process.isAlive()).as("the gateway exited during start-up, see %s", log.toAbsolutePath()).isTrue();
            try {
                if (HttpClient.newHttpClient().send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    ports.put(process.pid(), port);
                    return process;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(Instant.now()).as("the gateway was not ready within %s, see %s", START_TIMEOUT, log.toAbsolutePath())
                    .isBefore(deadline);
            Thread.sleep(250);
        }
    }

    private static void kill(Process gateway) throws InterruptedException {
        gateway.destroyForcibly();
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("the gateway died of SIGKILL").isTrue();
    }

    /** Sends admissions with distinct MSH-10s; returns MSH-10 → gateway message id, all answered 202. */
    private Map<String, String> submit(Process gateway, String prefix, int count) throws Exception {
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

    private String gatewayStatus(Process gateway, String id) {
        try {
            HttpResponse<String> response = send(hospital, request(gateway, "/api/v1/messages/" + id).GET().build());
            return response.statusCode() == 200 ? JSON.readTree(response.body()).path("status").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private HttpRequest.Builder request(Process gateway, String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + ports.get(gateway.pid()) + path)).timeout(Duration.ofSeconds(60));
    }

    // --- the simulator ----------------------------------------------------------------------------------

    private static void platformDown() throws Exception {
        HttpResponse<String> response = simulatorCall("POST", "/api/v1/admin/faults", "{\"mode\":\"status\",\"status\":503,\"count\":-1}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static void platformUp() throws Exception {
        assertThat(simulatorCall("DELETE", "/api/v1/admin/faults", null).statusCode()).isEqualTo(204);
    }

    private static JsonNode platformStats() {
        try {
            return JSON.readTree(simulatorCall("GET", "/api/v1/stats", null).body());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /** The simulator's store by idempotency key. */
    private static Map<String, JsonNode> storedBySimulator() throws Exception {
        Map<String, JsonNode> stored = new LinkedHashMap<>();
        for (JsonNode entry : JSON.readTree(simulatorCall("GET", "/api/v1/messages", null).body())) {
            stored.merge(entry.at("/receipt/idempotencyKey").asText(), entry, (first, second) -> {
                throw new AssertionError("the simulator lists key " + first.at("/receipt/idempotencyKey").asText() + " twice");
            });
        }
        return stored;
    }

    /** Waits until the simulator holds every id; on time-out the assertion names the missing ones. */
    private static Map<String, JsonNode> waitForAllStored(Map<String, String> ids) throws Exception {
        Instant deadline = Instant.now().plus(DELIVERY_TIMEOUT);
        Map<String, JsonNode> stored = storedBySimulator();
        while (!stored.keySet().containsAll(ids.values()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            stored = storedBySimulator();
        }
        assertThat(stored.keySet()).as("keys the platform holds %s after the restart (MSH-10 -> id: %s)", DELIVERY_TIMEOUT, ids)
                .containsAll(ids.values());
        return stored;
    }

    private static HttpResponse<String> simulatorCall(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + simulatorPort + path))
                .timeout(Duration.ofSeconds(30));
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(platformAdmin, request.build());
    }

    // --- plumbing ---------------------------------------------------------------------------------------

    private static void waitUntil(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("timed out after %s waiting until %s", timeout, what).isBefore(deadline);
            Thread.sleep(250);
        }
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** An HTTPS client presenting one of the development PKI's EC certificates. */
    private static HttpClient client(String leafName) {
        return HttpClient.newBuilder().sslContext(TestTls.sslContext(pki, leafName)).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
