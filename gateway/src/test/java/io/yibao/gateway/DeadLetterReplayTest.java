package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.signatures.BundleSigner;
import io.yibao.signatures.SignatureAlgorithm;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code POST /api/v1/dead-letters/{id}/replay}: a message the platform refused (4xx, dead-lettered at once) is sent
 * again once the platform takes it, exactly as it was signed; one signed under another certificate than the gateway's
 * current one (a signing key replaced, e.g. after a revocation the platform now enforces) is signed again first, since
 * the platform would refuse the old signature for ever.
 */
class DeadLetterReplayTest extends AbstractOperationsTest {
    @Autowired
    MessageLedger ledger;
    @Autowired
    BundleSigner gatewaySigner;

    @AfterEach
    void resetFaults() {
        simulator("DELETE", "/api/v1/admin/faults", null);
    }

    @Test
    void aDeadLetterIsDeliveredOnReplayAsItWasSigned() throws Exception {
        String id = deadLetter("ADM-OPS-DL-1");
        String signed = ledger.find(id).orElseThrow().canonical();
        assertThat(gatewaySigner.signsLikeThis(signed)).isTrue();
        assertThat(gateway(HttpRequest.newBuilder(uri("/api/v1/dead-letters?size=1000")).GET().build()).body())
                .as("listed for the institution that sent it").contains("\"id\":\"" + id + "\"");
        assertThat(GatewayTestEnvironment.send(GatewayTestEnvironment.client("client-P11010500002"),
                HttpRequest.newBuilder(uri("/api/v1/dead-letters?size=1000")).GET().build()).body()).as("and to no one else").doesNotContain(id);

        assertThat(replay(id).statusCode()).isEqualTo(202);

        assertThat(waitForFinal(id).get("status").asText()).isEqualTo("DELIVERED");
        assertThat(simulator("GET", "/api/v1/messages/" + id, null).body()).as("the bytes signed before").isEqualTo(signed);
        assertThat(replay(id).statusCode()).as("no longer a dead letter").isEqualTo(404);
        assertThat(gateway(HttpRequest.newBuilder(uri("/api/v1/dead-letters?size=1000")).GET().build()).body()).doesNotContain(id);
    }

    @Test
    void aDeadLetterSignedUnderAnotherCertificateIsSignedAgainWithTheGatewaysOwnOnReplay() throws Exception {
        String id = deadLetter("ADM-OPS-DL-2");
        BundleSigner replaced = new BundleSigner(DevPki.credentials(GatewayTestEnvironment.PKI, KeyAlgorithm.EC_P256,
                DevPki.GATEWAY_SIGNING), SignatureAlgorithm.ES256);
        String signedBefore = replaced.sign(ledger.find(id).orElseThrow().canonical());
        assertThat(gatewaySigner.signsLikeThis(signedBefore)).isFalse();
        assertThat(ledger.replaceSignedDeadLetter(id, signedBefore)).isTrue();

        assertThat(replay(id).statusCode()).isEqualTo(202);

        assertThat(waitForFinal(id).get("status").asText()).isEqualTo("DELIVERED");
        String delivered = simulator("GET", "/api/v1/messages/" + id, null).body();
        assertThat(gatewaySigner.signsLikeThis(delivered)).as("signed with the gateway's current certificate").isTrue();
        assertThat(delivered).isNotEqualTo(signedBefore);
        assertThat(ledger.find(id).orElseThrow().canonical()).as("the ledger holds what the platform holds").isEqualTo(delivered);
        assertThat(withoutSignature(delivered)).isEqualTo(withoutSignature(signedBefore));
    }

    /** A message the platform refuses with 400: dead-lettered at once, then the platform takes messages again. */
    private String deadLetter(String messageControlId) throws Exception {
        assertThat(simulator("POST", "/api/v1/admin/faults", "{\"mode\":\"status\",\"status\":400,\"count\":-1}").statusCode())
                .isEqualTo(200);
        String id = send(sample(messageControlId));
        assertThat(waitForFinal(id).get("status").asText()).isEqualTo("DEAD_LETTERED");
        simulator("DELETE", "/api/v1/admin/faults", null);
        return id;
    }

    private HttpResponse<String> replay(String id) {
        return gateway(HttpRequest.newBuilder(uri("/api/v1/dead-letters/" + id + "/replay"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static String withoutSignature(String signedBundle) throws Exception {
        return ((ObjectNode) JSON.readTree(signedBundle)).without("signature").toString();
    }
}
