package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import io.yibao.gateway.mllp.MllpProperties;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A hospital's second client certificate (its own key, same institution code) is revoked while the gateway runs: its next
 * HTTPS POST gets 403 {@code gw-certificate-revoked}, a GET too, its MLLP message {@code AR} with the rule in ERR, and
 * nothing is recorded; the hospital's other certificate goes on working. No restart, no change of enrollment.
 *
 * <p>The revoked certificate is this test's own ({@link DevPki#issueClientCertificate}): the test PKI is shared by every
 * test context of the JVM, and no other test uses it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CertificateRevokedWhileRunningEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSPITAL = "client-H11010500001";
    private static final String STOLEN = "client-H11010500001-revoked-by-test";

    @LocalServerPort
    int port;

    @Autowired
    MllpProperties mllp;

    @Autowired
    MessageLedger ledger;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        GatewayTestEnvironment.register(registry, "revocation");
        registry.add("yibao.ingress.revocation-refresh-interval", () -> "PT0.1S");
        GatewayTestEnvironment.issueOwnHospitalCertificate(STOLEN);
    }

    @Test
    void aCertificateRevokedWhileRunningIsRefusedAtHttpsAndMllpAndTheInstitutionsOtherCertificateIsNot() throws Exception {
        HttpResponse<String> before = post(STOLEN, "REV-1");
        assertThat(before.statusCode()).as(before.body()).isEqualTo(202);
        String id = JSON.readTree(before.body()).get("id").asText();
        assertThat(msa(mllp(STOLEN, "REV-2"))).startsWith("MSA|AA|REV-2|");

        DevPki.Revocation revocation = DevPki.revoke(GatewayTestEnvironment.PKI, KeyAlgorithm.EC_P256, STOLEN, CRLReason.KEY_COMPROMISE);
        String serial = revocation.serialNumber().toString(16).toUpperCase(Locale.ROOT);
        Thread.sleep(300); // past the refresh interval: the next check reads the rewritten CRL
        long recorded = messagesInLedger();

        HttpResponse<String> refused = post(STOLEN, "REV-3");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/fhir+json"));
        JsonNode issue = JSON.readTree(refused.body()).get("issue").get(0);
        assertThat(issue.get("code").asText()).isEqualTo("forbidden");
        assertThat(issue.toString()).contains("gw-certificate-revoked").contains("serial " + serial)
                .contains("revoked on " + revocation.revocationDate()).contains("已于 " + revocation.revocationDate() + " 被吊销")
                .doesNotContain("Synthetic Test Hospital");
        HttpResponse<String> status = get(STOLEN, "/api/v1/messages/" + id);
        assertThat(status.statusCode()).isEqualTo(403);
        assertThat(status.body()).contains("gw-certificate-revoked");
        String ack = mllp(STOLEN, "REV-4");
        assertThat(msa(ack)).startsWith("MSA|AR|REV-4|gw-certificate-revoked");
        assertThat(err(ack)).contains("|gw-certificate-revoked^").contains("serial " + serial).contains("被吊销");
        assertThat(messagesInLedger()).as("nothing recorded for the refused messages").isEqualTo(recorded);

        HttpResponse<String> other = post(HOSPITAL, "REV-5");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(202);
        assertThat(get(HOSPITAL, "/api/v1/messages/" + id).statusCode()).isEqualTo(200);
        assertThat(msa(mllp(HOSPITAL, "REV-6"))).startsWith("MSA|AA|REV-6|");
    }

    private long messagesInLedger() {
        return Arrays.stream(MessageStatus.values()).mapToLong(ledger::count).sum();
    }

    private String mllp(String leaf, String controlId) throws Exception {
        try (MllpTlsClient client = new MllpTlsClient(mllp.getPort(), leaf)) {
            return new String(client.send(sample(controlId).replace("\r\n", "\r").replace('\n', '\r').getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8);
        }
    }

    private static String msa(String ack) {
        return Arrays.stream(ack.split("\r")).filter(s -> s.startsWith("MSA|")).findFirst().orElseThrow(() -> new AssertionError(ack));
    }

    private static String err(String ack) {
        return Arrays.stream(ack.split("\r")).filter(s -> s.startsWith("ERR|")).findFirst().orElseThrow(() -> new AssertionError(ack));
    }

    private HttpResponse<String> post(String leaf, String controlId) throws Exception {
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(leaf), HttpRequest.newBuilder(uri("/api/v1/inbound/hospital-hl7v2"))
                .header("Content-Type", "x-application/hl7-v2+er7")
                .POST(HttpRequest.BodyPublishers.ofString(sample(controlId), StandardCharsets.UTF_8)).build());
    }

    private HttpResponse<String> get(String leaf, String path) {
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(leaf), HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    private static String sample(String controlId) throws Exception {
        return Files.readString(Path.of("samples/adt-a01.hl7"), StandardCharsets.UTF_8).replace("ADM0001", controlId);
    }
}
