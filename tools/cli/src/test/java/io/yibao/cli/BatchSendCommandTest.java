package io.yibao.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code yibao batch send} against the gateway's batch API played by WireMock over mutual TLS with the development PKI's
 * gateway certificate: the file arrives as it is, the batch is followed to its end, the report is saved, the records not
 * delivered are named with rule, place and reason, and each way of not getting there has its words and exit code.
 * (The same command against a running gateway: README, "Batches".)
 */
class BatchSendCommandTest {
    private static final String ID = "019ab2c4-5e1f-7a3b-9c2d-4e5f6a7b8c9d";
    private static final String STATUS = "/api/v1/batches/" + ID;
    private static final String CSV = "销售单号,药品编码\r\nS1,XA01\r\nS2,ZZ99\r\nS3,XA02\r\n";

    @TempDir
    static Path otherPki;
    @RegisterExtension
    static final WireMockGateway gateway = new WireMockGateway();
    @TempDir
    Path work;
    private Path file;

    @BeforeEach
    void reset() throws Exception {
        file = work.resolve("sales.csv");
        Files.write(file, CSV.getBytes("GBK"));
    }

    @Test
    void aBatchWhoseRecordsAreAllDeliveredEndsWithItsReportAndExitZero() throws Exception {
        accepted();
        statuses(status("SPLITTING", 3, 0, 0, 0, 0), status("IN_PROGRESS", 3, 1, 0, 0, 0), status("COMPLETE", 3, 2, 0, 0, 1));
        String report = "{\"id\":\"" + ID + "\",\"status\":\"COMPLETE\",\"undeliveredRecords\":[],\"duplicateRecords\":[{\"record\":3}]}";
        gateway.stubFor(get(STATUS + "/report").willReturn(json(200, report)));

        CliRun run = send();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).contains("sales.csv sent: batch " + ID)
                .contains("batch " + ID + " COMPLETE: 3 records: 2 delivered, 0 rejected, 0 dead-lettered, 1 sent before")
                .contains("report: " + work.resolve("sales.csv.report.json"));
        assertThat(work.resolve("sales.csv.report.json")).hasContent(report);
        gateway.verify(postRequestedFor(urlPathEqualTo("/api/v1/batches/pharmacy-csv"))
                .withQueryParam("name", com.github.tomakehurst.wiremock.client.WireMock.equalTo("sales.csv"))
                .withRequestBody(binaryEqualTo(Files.readAllBytes(file))));
        assertThat(gateway.findAll(getRequestedFor(urlPathEqualTo(STATUS))).size()).as("followed until final").isGreaterThanOrEqualTo(3);
    }

    @Test
    void recordsNotDeliveredAreNamedWithRulePlaceAndReasonInEitherLanguage() throws Exception {
        accepted();
        String rejectedRecord = "{\"record\":2,\"location\":\"line 3\",\"messageId\":\"m-2\",\"status\":\"REJECTED\",\"issues\":[{\"rule\":"
                + "\"cm-unknown-code\",\"location\":\"药品编码\",\"expression\":\"MedicationDispense.medicationCodeableConcept\","
                + "\"message\":\"Code ZZ99 is not in ConceptMap p11010500002-drugs\",\"messageZh\":\"代码 ZZ99 不在映射 p11010500002-drugs 中\"}]}";
        gateway.stubFor(get(urlPathEqualTo(STATUS)).willReturn(json(200, status("COMPLETE", 3, 2, 1, 0, 0)
                .replace("\"undeliveredRecords\":[]", "\"undeliveredRecords\":[" + rejectedRecord + "]"))));
        gateway.stubFor(get(STATUS + "/report").willReturn(json(200, "{}")));

        CliRun english = send();
        CliRun chinese = send("--lang", "zh");

        assertThat(english.exitCode()).isEqualTo(1);
        assertThat(english.out()).contains("2 delivered, 1 rejected")
                .contains("record 2 (line 3) REJECTED: cm-unknown-code [药品编码] MedicationDispense.medicationCodeableConcept: "
                        + "Code ZZ99 is not in ConceptMap p11010500002-drugs");
        assertThat(chinese.out()).contains("record 2 (line 3) REJECTED: cm-unknown-code [药品编码] "
                + "MedicationDispense.medicationCodeableConcept: 代码 ZZ99 不在映射 p11010500002-drugs 中");
    }

    @Test
    void aFileRejectedAsAWholeSaysWhyAndExitsOne() throws Exception {
        accepted();
        gateway.stubFor(get(urlPathEqualTo(STATUS)).willReturn(json(200, status("REJECTED", 3, 0, 0, 0, 0).replace("\"recordCounts\"",
                "\"fileIssues\":[{\"rule\":\"fw-trailer-count\",\"location\":\"trailer\",\"message\":\"the trailer says 4 records, the file has 3\"}],"
                        + "\"recordCounts\""))));
        gateway.stubFor(get(STATUS + "/report").willReturn(json(200, "{}")));

        CliRun run = send();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("batch " + ID + " REJECTED")
                .contains("file: fw-trailer-count [trailer]: the trailer says 4 records, the file has 3");
    }

    @Test
    void aRefusalIsExplainedWithTheGatewaysRuleAndExitsTwo() {
        gateway.stubFor(post(urlPathEqualTo("/api/v1/batches/pharmacy-csv")).willReturn(json(403, "{\"resourceType\":\"OperationOutcome\","
                + "\"issue\":[{\"severity\":\"error\",\"code\":\"forbidden\",\"details\":{\"coding\":[{\"code\":\"gw-not-enrolled\"}],"
                + "\"text\":\"Institution P11010500002 is not enrolled for adapter pharmacy-csv\"}}]}")));

        CliRun run = send();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("the gateway refused the file: HTTP 403: gw-not-enrolled Institution P11010500002 is not enrolled "
                + "for adapter pharmacy-csv");
        assertThat(gateway.findAll(getRequestedFor(urlPathEqualTo(STATUS)))).isEmpty();
    }

    @Test
    void aCertificateTheGatewayDoesNotTrustIsRefusedAtTheHandshake() throws Exception {
        DevPki.init(otherPki);
        Path ec = DevPki.hierarchyDirectory(otherPki, KeyAlgorithm.EC_P256);
        String client = DevPki.clientLeafName("P11010500002");

        CliRun run = CliRun.of("batch", "send", file.toString(), "--adapter", "pharmacy-csv", "--gateway", url(),
                "--cert", ec.resolve(client + ".chain.pem").toString(), "--key", ec.resolve(client + ".key.pem").toString(),
                "--cacert", DevPki.hierarchyDirectory(gateway.pki(), KeyAlgorithm.EC_P256).resolve("root.pem").toString(), "--progress", "none");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("could not send the file");
        assertThat(gateway.getAllServeEvents()).as("nothing reached the API").isEmpty();
    }

    @Test
    void withNoWaitOnlyTheFileIsSent() {
        accepted();

        CliRun run = send("--no-wait");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("sales.csv sent: batch " + ID + " (" + url() + STATUS + ")");
        assertThat(gateway.findAll(getRequestedFor(urlPathEqualTo(STATUS)))).isEmpty();
    }

    @Test
    void aBatchStillGoingWhenMaxWaitPassesIsLeftToTheGatewayWithExitTwo() {
        accepted();
        gateway.stubFor(get(urlPathEqualTo(STATUS)).willReturn(json(200, status("IN_PROGRESS", 3, 1, 0, 0, 0))));

        CliRun run = send("--max-wait", "PT0.3S");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("batch " + ID + " is still IN_PROGRESS after PT0.3S; it goes on at the gateway");
    }

    private void accepted() {
        gateway.stubFor(post(urlPathEqualTo("/api/v1/batches/pharmacy-csv")).willReturn(json(202,
                "{\"id\":\"" + ID + "\",\"status\":\"RECEIVED\",\"statusUrl\":\"" + STATUS + "\"}")));
    }

    /** Each status in turn, the last one from then on (WireMock scenario states). */
    private static void statuses(String... views) {
        for (int i = 0; i < views.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "poll-" + i;
            var stub = get(urlPathEqualTo(STATUS)).inScenario("batch").whenScenarioStateIs(state).willReturn(json(200, views[i]));
            gateway.stubFor(i + 1 < views.length ? stub.willSetStateTo("poll-" + (i + 1)) : stub);
        }
    }

    /** The status view as the gateway writes it (BatchReport.writeView), with no undelivered records listed. */
    private static String status(String status, long records, long delivered, long rejected, long deadLettered, long duplicate) {
        return "{\"id\":\"" + ID + "\",\"status\":\"" + status + "\",\"adapter\":\"pharmacy-csv\",\"institution\":\"P11010500002\","
                + "\"statusUrl\":\"" + STATUS + "\",\"reportUrl\":\"" + STATUS + "/report\",\"records\":" + records + ",\"recordsSplit\":" + records
                + ",\"recordCounts\":{\"RECEIVED\":0,\"SIGNED\":" + (records - delivered - rejected - deadLettered - duplicate)
                + ",\"REJECTED\":" + rejected + ",\"DELIVERED\":" + delivered + ",\"DEAD_LETTERED\":" + deadLettered
                + ",\"DUPLICATE\":" + duplicate + "},\"page\":0,\"pageSize\":1,\"undeliveredRecords\":[],\"duplicateRecords\":[]}";
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body.getBytes(StandardCharsets.UTF_8));
    }

    private CliRun send(String... more) {
        List<String> args = new ArrayList<>(List.of("batch", "send", file.toString(), "--adapter", "pharmacy-csv"));
        args.addAll(gateway.connection("P11010500002"));
        args.addAll(List.of("--poll-every", "PT0.05S", "--progress", "plain"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static String url() {
        return gateway.url();
    }
}
