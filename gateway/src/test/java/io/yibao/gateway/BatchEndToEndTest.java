package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.yibao.gateway.operations.MessageMetrics;
import io.yibao.gateway.pipeline.ChunkProcessor;
import io.yibao.gateway.pipeline.PipelineRoutes;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * HL7 v2 batch files through the whole gateway over real TLS, to the platform simulator: uploaded and
 * dropped; good records delivered once each, bad ones quarantined with their record numbers, rules and
 * fields in the status view and the report; a trailer count that does not match rejects the whole file
 * with no record released; the same file again is answered with the first batch; identity and
 * enrollment refusals.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class BatchEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSPITAL = "client-H11010500001";
    private static final String PHARMACY = "client-P11010500002";
    private static final Path DROP = GatewayTestEnvironment.DIR.resolve("drop");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ProducerTemplate producer;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestEnvironment.register(registry, "batch");
        registry.add("yibao.batch.drop-dir", DROP::toString);
        registry.add("yibao.batch.drop-poll-interval", () -> "PT0.2S");
        registry.add("yibao.batch.chunk-size", () -> "2");
        registry.add("yibao.batch.completion-check-interval", () -> "PT0.2S");
    }

    @Test
    void goodRecordsAreDeliveredOnceAndBadOnesQuarantinedWithRecordNumbersAndReasons() throws Exception {
        String run = run();
        List<String> messages = List.of(message(run + "-1"), badResidentId(run + "-2"), message(run + "-3"), badVersion(run + "-4"),
                message(run + "-5"));

        HttpResponse<String> accepted = upload(HOSPITAL, batchFile(messages, messages.size()), "hospital-" + run + ".hl7");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("id").asText();

        JsonNode view = waitForFinal(id);
        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("COMPLETE");
        assertThat(view.get("records").asLong()).isEqualTo(5);
        assertThat(view.get("batchReference").asText()).isEqualTo("B-" + run);
        assertThat(view.at("/recordCounts/DELIVERED").asLong()).isEqualTo(3);
        assertThat(view.at("/recordCounts/REJECTED").asLong()).isEqualTo(2);
        JsonNode undelivered = view.get("undeliveredRecords");
        assertThat(undelivered).hasSize(2);
        assertThat(undelivered.get(0).get("record").asLong()).isEqualTo(2);
        assertThat(undelivered.get(0).get("location").asText()).isEqualTo("lines 8-13");
        assertThat(undelivered.get(0).get("sourceRecordId").asText()).isEqualTo(run + "-2");
        assertThat(undelivered.get(0).get("issues")).anySatisfy(issue -> {
            assertThat(issue.get("rule").asText()).isEqualTo("yb-rid-check");
            assertThat(issue.get("location").asText()).startsWith("PID-3");
            assertThat(issue.get("messageZh").asText()).isNotBlank();
        });
        assertThat(undelivered.get(1).get("record").asLong()).isEqualTo(4);
        assertThat(undelivered.get(1).get("issues")).anySatisfy(issue -> {
            assertThat(issue.get("rule").asText()).isEqualTo("hl7-version");
            assertThat(issue.get("location").asText()).isEqualTo("MSH-12");
        });

        JsonNode report = JSON.readTree(get(HOSPITAL, "/api/v1/batches/" + id + "/report").body());
        assertThat(report.get("undeliveredRecords")).extracting(r -> r.get("record").asLong()).containsExactly(2L, 4L);
        assertThat(report.at("/recordCounts/DELIVERED").asLong()).isEqualTo(3);

        List<String> delivered = jdbc.queryForList("SELECT id FROM message WHERE batch_id = ? AND status = 'DELIVERED' ORDER BY record_no",
                String.class, id);
        assertThat(delivered).hasSize(3);
        for (String messageId : delivered) {
            assertThat(GatewayTestEnvironment.deliveriesOf(messageId)).as("deliveries of %s", messageId).isEqualTo(1);
        }
        String quarantined = undelivered.get(0).get("messageId").asText();
        assertThat(get(HOSPITAL, "/api/v1/quarantine").body()).contains(quarantined);
    }

    /**
     * The pharmacy-csv adapter's own sample of 150 rows with exactly three bad ones (its conformance
     * expectations name them), through the running gateway: 147 delivered once each, the three quarantined
     * with their row numbers and rules.
     */
    @Test
    void aPharmacyCsvBatchWithThreeBadRowsDeliversTheRestAndQuarantinesTheThree() throws Exception {
        byte[] file = Files.readAllBytes(Path.of("../adapters/pharmacy-csv/src/main/resources/yibao-mappings/pharmacy-csv/samples/bad/"
                + "sales-many-three-bad.csv"));
        double answeredBefore = transmissions("answered");
        double failedBefore = transmissions("failed");
        HttpResponse<String> accepted = GatewayTestEnvironment.send(GatewayTestEnvironment.client(PHARMACY),
                HttpRequest.newBuilder(uri("/api/v1/batches/pharmacy-csv?name=sales-many-three-bad.csv"))
                        // What curl --data-binary sends unless told otherwise (the README's command): the body must still
                        // arrive whole, not be taken for form parameters because ?name= is read.
                        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofByteArray(file)).build());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("id").asText();

        JsonNode view = waitForFinal(PHARMACY, id, Duration.ofMinutes(5));
        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("COMPLETE");
        assertThat(view.get("sizeBytes").asLong()).isEqualTo(file.length);
        assertThat(view.get("records").asLong()).isEqualTo(150);
        assertThat(view.at("/recordCounts/DELIVERED").asLong()).isEqualTo(147);
        assertThat(view.at("/recordCounts/REJECTED").asLong()).isEqualTo(3);
        JsonNode undelivered = view.get("undeliveredRecords");
        assertThat(undelivered).extracting(r -> r.get("record").asLong()).containsExactly(37L, 88L, 121L);
        assertThat(undelivered.get(0).get("issues")).anySatisfy(issue -> {
            assertThat(issue.get("rule").asText()).isEqualTo("map-required");
            assertThat(issue.get("location").asText()).isEqualTo("line 38, column 销售单号");
        });
        assertThat(undelivered.get(1).get("issues")).anySatisfy(issue -> {
            assertThat(issue.get("rule").asText()).isEqualTo("map-unknown-code");
            assertThat(issue.get("location").asText()).isEqualTo("line 89, column 商品编码");
        });
        assertThat(undelivered.get(2).get("issues")).anySatisfy(issue -> assertThat(issue.get("rule").asText()).isEqualTo("map-csv-columns"));

        JsonNode report = JSON.readTree(get(PHARMACY, "/api/v1/batches/" + id + "/report").body());
        assertThat(report.get("undeliveredRecords")).extracting(r -> r.get("record").asLong()).containsExactly(37L, 88L, 121L);
        List<String> delivered = jdbc.queryForList("SELECT id FROM message WHERE batch_id = ? AND status = 'DELIVERED'", String.class, id);
        assertThat(delivered).hasSize(147);
        for (String messageId : delivered) {
            assertThat(GatewayTestEnvironment.deliveriesOf(messageId)).as("deliveries of %s", messageId).isEqualTo(1);
        }
        // Chunks of 2 records (this test's chunk size), forwarded a chunk per request: 75 chunks, at most 3 without a
        // signed record; none had to fall back to forwarding its records one by one.
        assertThat(transmissions("answered") - answeredBefore).isGreaterThanOrEqualTo(72);
        assertThat(transmissions("failed") - failedBefore).isZero();
    }

    private double transmissions(String outcome) {
        Counter counter = meters.find(MessageMetrics.TRANSMISSIONS).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * A chunk the broker delivers again after a crash that came after its records were signed and sent but before the
     * transmission's answer was recorded: the record still SIGNED is forwarded again exactly as it was signed (not
     * processed again) and the platform answers the repeat with its first receipt; a record already DELIVERED is left
     * alone.
     */
    @Test
    void aChunkRedeliveredAfterACrashForwardsWhatWasSignedAsItWasAndLeavesWhatWasDelivered() throws Exception {
        String run = run();
        HttpResponse<String> accepted = upload(HOSPITAL, batchFile(List.of(message(run + "-1"), message(run + "-2")), 2),
                "redelivered-" + run + ".hl7");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String batchId = JSON.readTree(accepted.body()).get("id").asText();
        assertThat(waitForFinal(batchId).get("status").asText()).isEqualTo("COMPLETE");
        List<Map<String, Object>> records = jdbc.queryForList(
                "SELECT id, canonical, receipt, attempts FROM message WHERE batch_id = ? ORDER BY record_no", batchId);
        String signed = (String) records.get(0).get("id");
        String delivered = (String) records.get(1).get("id");
        // The crash: the answer for the first record was never recorded.
        jdbc.update("UPDATE message SET status = 'SIGNED', receipt = NULL WHERE id = ?", signed);

        producer.sendBody(PipelineRoutes.CHUNKS, signed + ChunkProcessor.ID_SEPARATOR + delivered);

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Map<String, Object> again = jdbc.queryForMap("SELECT status, canonical, receipt, attempts FROM message WHERE id = ?", signed);
        while (!"DELIVERED".equals(again.get("status")) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            again = jdbc.queryForMap("SELECT status, canonical, receipt, attempts FROM message WHERE id = ?", signed);
        }
        assertThat(again.get("status")).isEqualTo("DELIVERED");
        assertThat(again.get("canonical")).as("forwarded as it was signed, not signed again").isEqualTo(records.get(0).get("canonical"));
        assertThat(again.get("receipt")).as("the platform's first receipt").isEqualTo(records.get(0).get("receipt"));
        assertThat(GatewayTestEnvironment.deliveriesOf(signed)).as("the platform saw the repeat and stored nothing new").isEqualTo(2);
        Map<String, Object> untouched = jdbc.queryForMap("SELECT receipt, attempts FROM message WHERE id = ?", delivered);
        assertThat(untouched.get("receipt")).isEqualTo(records.get(1).get("receipt"));
        assertThat(untouched.get("attempts")).isEqualTo(records.get(1).get("attempts"));
        assertThat(GatewayTestEnvironment.deliveriesOf(delivered)).as("a delivered record is not sent again").isEqualTo(1);
    }

    @Test
    void aTrailerCountThatDoesNotMatchRejectsTheBatchAsAWholeWithTheReason() throws Exception {
        String run = run();
        List<String> messages = List.of(message(run + "-1"), message(run + "-2"));

        String id = JSON.readTree(upload(HOSPITAL, batchFile(messages, 3), "short-" + run + ".hl7").body()).get("id").asText();

        JsonNode view = waitForFinal(id);
        assertThat(view.get("status").asText()).isEqualTo("REJECTED");
        assertThat(view.get("fileIssues")).anySatisfy(issue -> {
            assertThat(issue.get("rule").asText()).isEqualTo("hl7-batch-count");
            assertThat(issue.get("location").asText()).startsWith("BTS-1");
            assertThat(issue.get("message").asText()).contains("says 3").contains("holds 2");
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message WHERE batch_id = ?", Long.class, id)).as("records released").isZero();
        assertThat(get(HOSPITAL, "/api/v1/batches/" + id + "/report").statusCode()).isEqualTo(200);
    }

    @Test
    void theSameFileSentAgainIsAnsweredWithTheFirstBatch() throws Exception {
        String run = run();
        String file = batchFile(List.of(message(run + "-1")), 1);

        String first = JSON.readTree(upload(HOSPITAL, file, "once.hl7").body()).get("id").asText();
        HttpResponse<String> again = upload(HOSPITAL, file, "again.hl7");

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("id").asText()).isEqualTo(first);
        assertThat(JSON.readTree(again.body()).get("duplicate").asBoolean()).isTrue();
    }

    @Test
    void anInstitutionNotEnrolledForTheAdapterIsRefusedAndAnotherCannotSeeTheBatch() throws Exception {
        String run = run();
        String file = batchFile(List.of(message(run + "-1")), 1);

        HttpResponse<String> refused = upload(PHARMACY, file, "not-mine.hl7");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("OperationOutcome").contains("gw-adapter-not-enrolled");

        String id = JSON.readTree(upload(HOSPITAL, file, "mine.hl7").body()).get("id").asText();
        assertThat(get(PHARMACY, "/api/v1/batches/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void aBatchHeaderClaimingAnotherInstitutionRejectsTheBatch() throws Exception {
        String run = run();
        String file = batchFile(List.of(message(run + "-1")), 1).replace("BHS|^~\\&|HIS|H11010500001|", "BHS|^~\\&|HIS|H11010500099|");

        String id = JSON.readTree(upload(HOSPITAL, file, "claim.hl7").body()).get("id").asText();

        JsonNode view = waitForFinal(id);
        assertThat(view.get("status").asText()).isEqualTo("REJECTED");
        assertThat(view.get("fileIssues")).anySatisfy(issue -> assertThat(issue.get("rule").asText()).isEqualTo("gw-claim-not-allowed"));
    }

    @Test
    void aDroppedFileIsTakenFromItsInstitutionsDirectoryAndItsReportWrittenNextToIt() throws Exception {
        String run = run();
        Path report = dropGoodAndBadRecord("drop-" + run + ".hl7", run);

        JsonNode written = waitForReport(report, any -> true);
        assertThat(written.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(written.at("/recordCounts/DELIVERED").asLong()).isEqualTo(1);
        assertThat(written.get("undeliveredRecords")).extracting(r -> r.get("record").asLong()).containsExactly(2L);
        assertThat(DROP.resolve("H11010500001/hospital-hl7v2/done/drop-" + run + ".hl7")).exists();
        assertThat(DROP.resolve("H11010500001/hospital-hl7v2/incoming/drop-" + run + ".hl7")).doesNotExist();
    }

    /**
     * The report is not a snapshot: a record corrected and replayed from quarantine after the batch completed
     * reopens the batch, and when the record is delivered the batch completes again and the report next to the
     * file is rewritten in place (the API answers from the ledger, so it shows the same).
     */
    @Test
    void aRecordReplayedFromQuarantineAfterCompletionIsInTheRewrittenReport() throws Exception {
        String run = run();
        Path report = dropGoodAndBadRecord("replay-" + run + ".hl7", run);
        JsonNode first = waitForReport(report, written -> written.at("/recordCounts/REJECTED").asLong() == 1);
        String batchId = first.get("id").asText();
        String quarantined = first.at("/undeliveredRecords/0/messageId").asText();

        String payload = get(HOSPITAL, "/api/v1/quarantine/" + quarantined + "/payload").body();
        HttpResponse<String> replayed = GatewayTestEnvironment.send(GatewayTestEnvironment.client(HOSPITAL),
                HttpRequest.newBuilder(uri("/api/v1/quarantine/" + quarantined)).header("Content-Type", "x-application/hl7-v2+er7")
                        .PUT(HttpRequest.BodyPublishers.ofString(payload.replace("110105196507120249", "110105196507120248"),
                                StandardCharsets.UTF_8)).build());
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(202);

        JsonNode rewritten = waitForReport(report, written -> written.at("/recordCounts/DELIVERED").asLong() == 2);
        assertThat(rewritten.get("id").asText()).isEqualTo(batchId);
        assertThat(rewritten.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(rewritten.at("/recordCounts/REJECTED").asLong()).isZero();
        assertThat(rewritten.get("undeliveredRecords")).isEmpty();
        assertThat(report.resolveSibling("replay-" + run + ".hl7." + batchId + ".report.json")).as("rewritten in place").doesNotExist();
        JsonNode view = JSON.readTree(get(HOSPITAL, "/api/v1/batches/" + batchId).body());
        assertThat(view.at("/recordCounts/DELIVERED").asLong()).isEqualTo(2);
        assertThat(GatewayTestEnvironment.deliveriesOf(quarantined)).isEqualTo(1);
    }

    @Test
    void aFileDroppedInADirectoryOfAnInstitutionNotEnrolledIsRefusedWithAReport() throws Exception {
        String run = run();
        Path incoming = Files.createDirectories(DROP.resolve("P11010500002/hospital-hl7v2/incoming"));
        Files.writeString(incoming.resolve("x-" + run + ".hl7"), batchFile(List.of(message(run + "-1")), 1), StandardCharsets.UTF_8);

        Path report = DROP.resolve("P11010500002/hospital-hl7v2/refused/x-" + run + ".hl7.report.json");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!Files.exists(report) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(Files.readString(report, StandardCharsets.UTF_8)).contains("gw-adapter-not-enrolled");
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private static String run() {
        return "BAT" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String sample() throws Exception {
        return Files.readString(Path.of("samples/adt-a01.hl7"), StandardCharsets.UTF_8).strip();
    }

    private static String message(String controlId) throws Exception {
        return sample().replace("|ADM0001|", "|" + controlId + "|");
    }

    private static String badResidentId(String controlId) throws Exception {
        return message(controlId).replace("110105196507120248", "110105196507120249");
    }

    private static String badVersion(String controlId) throws Exception {
        return message(controlId).replace("|P|2.5|", "|P|2.1|");
    }

    /** A BHS/BTS batch (batch reference B-run) of these messages; BTS-1 says {@code declared}. */
    private static String batchFile(List<String> messages, int declared) {
        String reference = "B-" + messages.get(0).split("\\|")[9].replaceFirst("-\\d+$", "");
        List<String> lines = new ArrayList<>();
        lines.add("BHS|^~\\&|HIS|H11010500001|||20261120090000||||" + reference);
        messages.forEach(m -> lines.add(m.replace("\r\n", "\n").replace('\r', '\n')));
        lines.add("BTS|" + declared);
        return String.join("\n", lines) + "\n";
    }

    /** The report file once it exists and satisfies {@code wanted} (it is replaced atomically, never read half-written). */
    /**
     * Drops an HL7 batch of two records (record 1 good, record 2 a bad resident ID) into the sample hospital's
     * incoming folder the way a sender should, written under a hidden name and then renamed; returns where its
     * report will be.
     */
    private static Path dropGoodAndBadRecord(String fileName, String run) throws Exception {
        Path incoming = Files.createDirectories(DROP.resolve("H11010500001/hospital-hl7v2/incoming"));
        Path hidden = incoming.resolve("." + fileName);
        Files.writeString(hidden, batchFile(List.of(message(run + "-1"), badResidentId(run + "-2")), 2), StandardCharsets.UTF_8);
        Files.move(hidden, incoming.resolve(fileName));
        return DROP.resolve("H11010500001/hospital-hl7v2/done/" + fileName + ".report.json");
    }

    private static JsonNode waitForReport(Path report, java.util.function.Predicate<JsonNode> wanted) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        JsonNode written = null;
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(report)) {
                written = JSON.readTree(Files.readString(report, StandardCharsets.UTF_8));
                if (wanted.test(written)) {
                    return written;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("report " + report + " not as wanted within 90 s: " + written);
    }

    private JsonNode waitForFinal(String id) throws Exception {
        return waitForFinal(HOSPITAL, id, Duration.ofSeconds(90));
    }

    private JsonNode waitForFinal(String client, String id, Duration patience) throws Exception {
        return GatewayTestEnvironment.waitForFinalBatch(uri("/api/v1/batches/" + id), client, patience);
    }

    private HttpResponse<String> upload(String client, String file, String name) {
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(client),
                HttpRequest.newBuilder(uri("/api/v1/batches/hospital-hl7v2?name=" + name)).header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(file, StandardCharsets.UTF_8)).build());
    }

    private HttpResponse<String> get(String client, String path) {
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(client), HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }
}
