package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Logs at INFO and above name message ids, institutions, events and rule ids, never a payload, a name or
 * an ID number: a message with a Chinese name and a resident ID goes through delivery, and one with a
 * wrong resident ID through quarantine and replay, while the console output is captured.
 */
@ExtendWith(OutputCaptureExtension.class)
class GatewayLogsCarryNoPersonalDataTest extends AbstractOperationsTest {
    /** From the sample's PID segment and the rest of its content. */
    private static final List<String> PERSONAL_AND_PAYLOAD = List.of(
            "王", "芳测试", "110105196507120248", "110105196507120249", "19650712", "MDT20261118000201", "11000000000000000002",
            "脑梗死", "I63.9", "MSH|", "PID|", "PV1|", "DG1|", "IN1|", "^~\\&");

    @Test
    void neitherNamesNorIdNumbersNorPayloadsReachTheLogs(CapturedOutput output) throws Exception {
        String good = sample("ADM-OPS-LOGS-1");
        String delivered = send(good);
        assertThat(waitForFinal(delivered).get("status").asText()).isEqualTo("DELIVERED");
        assertThat(post(good).statusCode()).isEqualTo(200); // a resubmission is logged too

        String bad = sample("ADM-OPS-LOGS-2").replace("110105196507120248", "110105196507120249");
        String rejected = send(bad);
        assertThat(waitForFinal(rejected).get("status").asText()).isEqualTo("REJECTED");
        HttpRequest replay = HttpRequest.newBuilder(uri("/api/v1/quarantine/" + rejected))
                .header("Content-Type", "x-application/hl7-v2+er7")
                .PUT(HttpRequest.BodyPublishers.ofString(sample("ADM-OPS-LOGS-2"), StandardCharsets.UTF_8)).build();
        assertThat(gateway(replay).statusCode()).isEqualTo(202);
        assertThat(waitForFinal(rejected).get("status").asText()).isEqualTo("DELIVERED");

        String logs = output.getAll();
        assertThat(logs).as("the capture sees the gateway's logs").contains("message " + rejected + " rejected")
                .contains("transmission of 1 messages: 1 delivered");
        for (String secret : PERSONAL_AND_PAYLOAD) {
            assertThat(logs).as("logs must not contain " + secret).doesNotContain(secret);
        }
    }
}
