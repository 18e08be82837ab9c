package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Ingress back-pressure: while processing is stopped, messages are accepted until
 * {@code yibao.ingress.maximum-waiting} wait; the next one is answered 503 with Retry-After and an
 * OperationOutcome naming the rule, and is not recorded. Once processing runs again the waiting messages
 * are delivered and the refused one, sent again, is accepted.
 */
class IngressBusyAnswers503WithRetryAfterTest extends AbstractOperationsTest {
    static final int MAXIMUM_WAITING = 10;

    @Autowired
    MessageLedger ledger;

    @Test
    void aBusyGatewayRefusesWith503AndRetryAfterAndRecordsNothing() throws Exception {
        stopProcessing();
        List<String> accepted = new ArrayList<>();
        HttpResponse<String> refused = null;
        // The waiting count is sampled every 200 ms: a few more than the limit may get in before it is seen.
        for (int i = 1; i <= MAXIMUM_WAITING * 5 && refused == null; i++) {
            HttpResponse<String> response = post(sample("ADM-OPS-BUSY-" + i));
            if (response.statusCode() == 202) {
                accepted.add(JSON.readTree(response.body()).get("id").asText());
                Thread.sleep(50);
            } else {
                refused = response;
            }
        }
        assertThat(refused).as("refused once %s messages wait", MAXIMUM_WAITING).isNotNull();
        assertThat(accepted.size()).isGreaterThanOrEqualTo(MAXIMUM_WAITING);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        JsonNode issue = JSON.readTree(refused.body()).at("/issue/0");
        assertThat(issue.at("/code").asText()).isEqualTo("transient");
        assertThat(issue.at("/details/coding/0/code").asText()).isEqualTo("gw-busy");
        assertThat(issue.at("/diagnostics").asText() + issue.at("/details/text").asText()).contains("busy");
        long waiting = ledger.count(MessageStatus.RECEIVED);
        assertThat(waiting).as("the refused message is not recorded").isEqualTo(accepted.size());

        startProcessing();
        for (String id : accepted) {
            assertThat(waitForFinal(id).get("status").asText()).as(id).isEqualTo("DELIVERED");
        }
        assertThat(send(sample("ADM-OPS-BUSY-" + (accepted.size() + 1)))).isNotBlank();
    }
}
