package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.signatures.CanonicalJson;
import io.yibao.signatures.EnvelopeSigner;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The national envelope's {@code cainfo} is verified at intake with the key enrolled for the sending hospital
 * (application.yaml: its development SM2 envelope-signing certificate): an envelope signed with it is accepted; an
 * unsigned one, one changed after signing, one signed by another institution's key and one whose signtype is not
 * SM2 are refused with 403 and an OperationOutcome of rule {@code gw-envelope-cainfo} naming the status, and
 * nothing of them is recorded. The correction of a quarantined envelope passes the same check.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NhsaEnvelopeCainfoVerifiedAtIntakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSPITAL = "H11010500001";
    private static final Path SAMPLE = Path.of("../adapters/nhsa-envelope/src/main/resources/yibao-mappings/nhsa-envelope-2204/samples/fee-details-2204.json");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestEnvironment.register(registry, "envelope");
    }

    @Test
    void anEnvelopeSignedWithTheEnrolledKeyIsAccepted() throws Exception {
        HttpResponse<String> accepted = post(signedBy(HOSPITAL, envelope("0001")));

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(recorded("0001")).isOne();
    }

    @Test
    void anUnsignedEnvelopeIsRefused() throws Exception {
        String unsigned = envelope("0002");
        assertThat(JSON.readTree(unsigned).get("cainfo").asText()).isEmpty();

        assertRefused(post(unsigned), "UNSIGNED", "报文没有 cainfo 签名");
        assertThat(recorded("0002")).isZero();
    }

    @Test
    void anEnvelopeChangedAfterSigningIsRefused() throws Exception {
        ObjectNode tampered = (ObjectNode) CanonicalJson.parse(signedBy(HOSPITAL, envelope("0003")));
        ObjectNode line = (ObjectNode) tampered.at("/input/feedetail/0");
        line.put("det_item_fee_sumamt", new BigDecimal(line.get("det_item_fee_sumamt").asText()).add(BigDecimal.ONE));

        assertRefused(post(CanonicalJson.toCanonicalString(tampered)), "INVALID_SIGNATURE", "报文被修改");
        assertThat(recorded("0003")).isZero();
    }

    @Test
    void anEnvelopeSignedByAnotherInstitutionsKeyIsRefused() throws Exception {
        assertRefused(post(signedBy("P11010500002", envelope("0004"))), "INVALID_SIGNATURE", "其他密钥");
        assertThat(recorded("0004")).isZero();
    }

    @Test
    void anEnvelopeWhoseSignTypeIsNotSm2IsRefused() throws Exception {
        ObjectNode relabelled = (ObjectNode) CanonicalJson.parse(signedBy(HOSPITAL, envelope("0005")));
        relabelled.put("signtype", "RSA");

        assertRefused(post(CanonicalJson.toCanonicalString(relabelled)), "UNSUPPORTED_ALGORITHM", "signtype");
        assertThat(recorded("0005")).isZero();
    }

    @Test
    void aQuarantinedEnvelopeIsReplayedOnlyWithASignedCorrection() throws Exception {
        ObjectNode wrongScale = (ObjectNode) CanonicalJson.parse(envelope("0006"));
        ((ObjectNode) wrongScale.at("/input/feedetail/0")).put("det_item_fee_sumamt", new BigDecimal("25.005"));
        HttpResponse<String> accepted = post(signedBy(HOSPITAL, CanonicalJson.toCanonicalString(wrongScale)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("id").asText();
        JsonNode rejected = JSON.readTree(get("/api/v1/messages/" + id + "?wait=PT60S").body());
        assertThat(rejected.get("status").asText()).as(rejected.toString()).isEqualTo("REJECTED");
        byte[] quarantined = jdbc.queryForObject("SELECT payload FROM message WHERE id = ?", byte[].class, id);

        String corrected = envelope("0006");
        assertRefused(put("/api/v1/quarantine/" + id, corrected), "UNSIGNED", "报文没有 cainfo 签名");
        assertThat(jdbc.queryForObject("SELECT status FROM message WHERE id = ?", String.class, id)).isEqualTo("REJECTED");
        assertThat(jdbc.queryForObject("SELECT payload FROM message WHERE id = ?", byte[].class, id)).isEqualTo(quarantined);

        HttpResponse<String> replayed = put("/api/v1/quarantine/" + id, signedBy(HOSPITAL, corrected));
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(202);
        JsonNode delivered = JSON.readTree(get("/api/v1/messages/" + id + "?wait=PT60S").body());
        assertThat(delivered.get("status").asText()).as(delivered.toString()).isEqualTo("DELIVERED");
    }

    private static void assertRefused(HttpResponse<String> refused, String status, String chinese) throws Exception {
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        JsonNode issue = JSON.readTree(refused.body()).at("/issue/0");
        assertThat(issue.at("/code").asText()).isEqualTo("forbidden");
        assertThat(issue.at("/details/coding/0/code").asText()).isEqualTo("gw-envelope-cainfo");
        assertThat(refused.body()).contains("cainfo does not verify with the envelope key enrolled for " + HOSPITAL + ": " + status)
                .contains(chinese).contains("nothing was recorded");
    }

    /** The module's good 2204 sample (its cainfo empty) with a msgid of its own. */
    private static String envelope(String sequence) throws Exception {
        ObjectNode envelope = (ObjectNode) CanonicalJson.parse(Files.readAllBytes(SAMPLE));
        envelope.put("msgid", HOSPITAL + "20261120102000" + sequence);
        envelope.put("inf_time", "2026-11-20 10:20:00");
        return CanonicalJson.toCanonicalString(envelope);
    }

    /** The envelope signed with an institution's development envelope-signing key. */
    private static String signedBy(String institution, String envelope) throws Exception {
        return new EnvelopeSigner(DevPki.credentials(GatewayTestEnvironment.PKI, KeyAlgorithm.SM2,
                DevPki.envelopeSigningLeafName(institution)).privateKey()).sign(envelope);
    }

    private long recorded(String sequence) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM message WHERE source_message_id = ?", Long.class,
                HOSPITAL + "20261120102000" + sequence);
    }

    private HttpResponse<String> get(String path) {
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(DevPki.clientLeafName(HOSPITAL)),
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).GET().build());
    }

    private HttpResponse<String> put(String path, String envelope) {
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(DevPki.clientLeafName(HOSPITAL)),
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8)).build());
    }

    private HttpResponse<String> post(String envelope) {
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(DevPki.clientLeafName(HOSPITAL)),
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/v1/inbound/nhsa-envelope-2204"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8)).build());
    }
}
