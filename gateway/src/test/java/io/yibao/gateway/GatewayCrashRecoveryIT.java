package io.yibao.gateway;

import static io.yibao.gateway.GatewayProcesses.DELIVERY_TIMEOUT;
import static io.yibao.gateway.GatewayProcesses.HOSPITAL;
import static io.yibao.gateway.GatewayProcesses.JSON;
import static io.yibao.gateway.GatewayProcesses.PHARMACY;
import static io.yibao.gateway.GatewayProcesses.kill;
import static io.yibao.gateway.GatewayProcesses.request;
import static io.yibao.gateway.GatewayProcesses.send;
import static io.yibao.gateway.GatewayProcesses.stop;
import static io.yibao.gateway.GatewayProcesses.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.yibao.gateway.GatewayProcesses.Gateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

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
    /** Messages submitted before the crash with time to reach forwarding, and right before it. */
    private static final int RETRYING = 20;
    private static final int FRESH = 10;
    /** Records of the batch killed while splitting. */
    private static final int BATCH_RECORDS = 1000;

    private static GatewayProcesses env;

    private Path data;
    private String scenario;

    @BeforeAll
    static void startSimulator() throws Exception {
        env = new GatewayProcesses("crash-it");
    }

    @AfterAll
    static void stopSimulator() throws InterruptedException {
        if (env != null) {
            env.close();
        }
    }

    @BeforeEach
    void freshState(TestInfo test) throws Exception {
        scenario = test.getTestMethod().orElseThrow().getName();
        data = env.dir.resolve(scenario);
        env.resetPlatform();
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        env.killAll();
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
        env.platformDown();
        Gateway gateway = startGateway();

        Map<String, String> retrying = submitAndWaitForRetries(gateway, "CRASH-R-");
        Map<String, String> fresh = env.submit(gateway, "CRASH-S-", FRESH);
        kill(gateway);

        assertThat(env.storedBySimulator()).as("nothing was delivered while the platform was down").isEmpty();
        env.platformUp();
        Gateway restarted = startGateway();

        Map<String, String> ids = new LinkedHashMap<>(retrying);
        ids.putAll(fresh);
        Map<String, JsonNode> stored = env.waitForAllStored(ids);
        assertThat(stored.keySet()).as("keys the platform holds: the accepted ids, no other").containsExactlyInAnyOrderElementsOf(ids.values());
        env.assertExactlyOnce(restarted, ids, stored);
        assertThat(stored.values()).allSatisfy(entry -> assertThat(entry.path("deliveries").asInt())
                .as("accepted POSTs for %s (the platform was down until after the crash)", entry.at("/receipt/idempotencyKey").asText())
                .isEqualTo(1));
    }

    /**
     * The platform is down and messages wait for it, their forwarding backing off; the operator stops the gateway
     * (SIGTERM). The stop is graceful, the waiting messages neither dead-lettered nor reported as errors: they go back
     * on the outbox, and once the platform is up the restarted gateway delivers each exactly once. (Camel kept backing
     * off through the stop until its shutdown timeout, 45 s, then forced the routes to stop, interrupting the waits: in
     * a load run that left four ERROR lines, "Application exception overridden by rollback error".)
     */
    @Test
    void stoppedWhilePlatformIsDownKeepsEveryMessageWithoutAnError() throws Exception {
        env.platformDown();
        Gateway gateway = startGateway();

        Map<String, String> waiting = submitAndWaitForRetries(gateway, "STOP-W-");
        stop(gateway);

        assertThat(Files.readAllLines(gateway.log())).as("errors or routes forced to stop in %s", gateway.log())
                .noneMatch(line -> line.contains(" ERROR ") || line.contains("Forced stopped"));
        assertThat(env.storedBySimulator()).as("nothing was delivered while the platform was down").isEmpty();
        env.platformUp();
        Gateway restarted = startGateway();

        Map<String, JsonNode> stored = env.waitForAllStored(waiting);
        env.assertExactlyOnce(restarted, waiting, stored);
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
        HttpClient client = env.client(clientName);
        Gateway gateway = startGateway("--yibao.batch.chunk-size=5");
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

        // A chunk committed just before the kill, its ids not yet queued, is RecoverySweep's (received grace): 20 s here
        // instead of a minute, still longer than the restarted gateway takes for the chunks that were queued.
        Gateway restarted = startGateway("--yibao.batch.chunk-size=5", "--yibao.batch.stalled-after=PT5S",
                "--yibao.recovery.interval=PT1S", "--yibao.recovery.received-grace=PT20S");
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

        Map<String, JsonNode> stored = env.storedBySimulator();
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

    /**
     * The gateway in this scenario's working directory, so with its own H2 ledger, embedded broker journal and batch
     * spool where the defaults put them ({@code ./var/gateway}), kept across restarts.
     */
    /**
     * With the platform down: submits {@link #RETRYING} messages and waits until all are signed and forwarding is being
     * retried against the platform; returns their ids by source message id.
     */
    private Map<String, String> submitAndWaitForRetries(Gateway gateway, String sourceIdPrefix) throws Exception {
        Map<String, String> ids = env.submit(gateway, sourceIdPrefix, RETRYING);
        waitUntil("the messages are signed and forwarding is being retried", DELIVERY_TIMEOUT,
                () -> ids.values().stream().allMatch(id -> "SIGNED".equals(env.status(gateway, id)))
                        && env.platformStats().path("faulted").asInt() >= 8);
        return ids;
    }

    private Gateway startGateway(String... arguments) throws Exception {
        return env.start(data, scenario, arguments);
    }
}
