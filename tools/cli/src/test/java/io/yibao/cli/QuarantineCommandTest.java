package io.yibao.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code yibao quarantine} and {@code yibao dead-letters} against the gateway's API played by WireMock over mutual TLS:
 * the list names each error's rule, place and reason, the original bytes come back byte for byte, a correction is sent
 * as written and its outcome decides the exit code.
 */
class QuarantineCommandTest {
    private static final String ID = "019ab2c4-5e1f-7a3b-9c2d-4e5f6a7b8c01";
    private static final String OUTCOME = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"invalid\","
            + "\"details\":{\"coding\":[{\"code\":\"cn-resident-id\"}],\"text\":\"Resident ID check character is wrong\","
            + "\"_text\":{\"extension\":[{\"url\":\"http://hl7.org/fhir/StructureDefinition/translation\",\"extension\":[{\"url\":\"lang\","
            + "\"valueCode\":\"zh\"},{\"url\":\"content\",\"valueString\":\"身份证号校验位错误\"}]}]}},"
            + "\"location\":[\"PID-3\"],\"expression\":[\"Patient.identifier[0].value\"]},"
            + "{\"severity\":\"warning\",\"code\":\"informational\",\"details\":{\"coding\":[{\"code\":\"hl7-unmapped\"}],\"text\":\"ZPI not mapped\"}}]}";

    @RegisterExtension
    static final WireMockGateway gateway = new WireMockGateway();
    @TempDir
    Path work;

    @Test
    void theListNamesEachErrorsRulePlaceAndReasonAndSaysWhenThereIsMore() {
        gateway.stubFor(get(urlPathEqualTo("/api/v1/quarantine")).withQueryParam("page", equalTo("0")).withQueryParam("size", equalTo("1"))
                .willReturn(json(200, "[" + message("REJECTED") + "]")));

        CliRun english = run("quarantine", "list", "--size", "1");
        CliRun chinese = run("quarantine", "list", "--size", "1", "--lang", "zh");

        assertThat(english.exitCode()).isEqualTo(0);
        assertThat(english.out()).contains(ID + " REJECTED hospital-hl7v2 ADM0001 received 2026-11-25T01:02:03Z")
                .contains("  cn-resident-id [PID-3] Patient.identifier[0].value: Resident ID check character is wrong")
                .doesNotContain("hl7-unmapped")
                .contains("1 message(s) on page 0 (--page 1 for more)");
        assertThat(chinese.out()).contains("  cn-resident-id [PID-3] Patient.identifier[0].value: 身份证号校验位错误");
    }

    @Test
    void theOriginalBytesComeBackAsStored() throws Exception {
        byte[] gbk = "MSH|^~\\&|HIS|H11010500001|||20261125||ADT^A01|ADM0001|P|2.5|||||CHN|GBK\rPID|1||11010519491231002Y^^^^ID||测试^张三\r"
                .getBytes(Charset.forName("GBK"));
        gateway.stubFor(get("/api/v1/quarantine/" + ID + "/payload").willReturn(aResponse().withStatus(200).withBody(gbk)));
        Path output = work.resolve("adm0001.hl7");

        CliRun run = run("quarantine", "payload", ID, "--output", output.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(Files.readAllBytes(output)).isEqualTo(gbk);
    }

    @Test
    void aCorrectionIsSentAsWrittenAndItsOutcomeDecidesTheExitCode() throws Exception {
        Path corrected = work.resolve("adm0001-corrected.hl7");
        Files.write(corrected, "MSH|…corrected…".getBytes(StandardCharsets.UTF_8));
        gateway.stubFor(put("/api/v1/quarantine/" + ID).willReturn(json(202, message("RECEIVED"))));
        gateway.stubFor(get(urlPathEqualTo("/api/v1/messages/" + ID)).withQueryParam("wait", equalTo("PT1M"))
                .willReturn(json(200, message("DELIVERED").replace(",\"outcome\":" + OUTCOME, ""))));

        CliRun delivered = run("quarantine", "replay", ID, corrected.toString());

        assertThat(delivered.exitCode()).as(delivered.err()).isEqualTo(0);
        assertThat(delivered.out()).contains(ID + " taken again").contains(ID + " DELIVERED");
        gateway.verify(putRequestedFor(urlPathEqualTo("/api/v1/quarantine/" + ID)).withRequestBody(binaryEqualTo(Files.readAllBytes(corrected))));

        gateway.stubFor(get(urlPathEqualTo("/api/v1/messages/" + ID)).willReturn(json(200, message("REJECTED"))));
        CliRun rejectedAgain = run("quarantine", "replay", ID, corrected.toString());

        assertThat(rejectedAgain.exitCode()).isEqualTo(1);
        assertThat(rejectedAgain.out()).contains("cn-resident-id [PID-3]");
    }

    @Test
    void aDeadLetterThatIsNotOneAnyMoreIsRefusedWithTheGatewaysReason() {
        gateway.stubFor(post("/api/v1/dead-letters/" + ID + "/replay").willReturn(json(404, "{\"resourceType\":\"OperationOutcome\","
                + "\"issue\":[{\"severity\":\"error\",\"code\":\"not-found\",\"details\":{\"coding\":[{\"code\":\"gw-unknown-message\"}],"
                + "\"text\":\"No message " + ID + " of this institution in this state\"}}]}")));

        CliRun run = run("dead-letters", "replay", ID);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not taken: HTTP 404: gw-unknown-message No message " + ID + " of this institution in this state");
        gateway.verify(postRequestedFor(urlPathEqualTo("/api/v1/dead-letters/" + ID + "/replay")));
    }

    private static String message(String status) {
        return "{\"id\":\"" + ID + "\",\"status\":\"" + status + "\",\"adapter\":\"hospital-hl7v2\",\"sourceMessageId\":\"ADM0001\","
                + "\"event\":\"2401\",\"receivedAt\":\"2026-11-25T01:02:03Z\",\"updatedAt\":\"2026-11-25T01:02:04Z\",\"attempts\":0,"
                + "\"statusUrl\":\"/api/v1/messages/" + ID + "\",\"outcome\":" + OUTCOME + "}";
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body.getBytes(StandardCharsets.UTF_8));
    }

    private static CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(gateway.connection("H11010500001"));
        return CliRun.of(all.toArray(String[]::new));
    }
}
