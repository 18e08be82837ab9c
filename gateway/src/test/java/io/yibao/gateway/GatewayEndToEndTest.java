package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole pipeline over real TLS: a hospital sends HL7 v2, the gateway translates, validates, signs
 * and forwards it to the platform simulator, and the institution watches its status; resubmissions,
 * refusals and the quarantine-and-replay cycle.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSPITAL = "client-H11010500001";
    private static final String PHARMACY = "client-P11010500002";
    private static final int MAXIMUM_MESSAGE_SIZE = 64 * 1024;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestEnvironment.register(registry, "e2e");
        // Small, so that a body over it stays below Tomcat's swallow size and the refusal arrives on an open connection.
        registry.add("yibao.ingress.maximum-message-size", () -> MAXIMUM_MESSAGE_SIZE + "B");
    }

    @Test
    void admissionIsTranslatedSignedAndDeliveredOnceEvenWhenSentTwice() throws Exception {
        String hl7 = sample().replace("ADM0001", "ADM-E2E-1");

        HttpResponse<String> accepted = post(HOSPITAL, hl7);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("id").asText();

        JsonNode status = waitForFinal(HOSPITAL, id);
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("DELIVERED");
        assertThat(status.get("event").asText()).isEqualTo("2401");
        assertThat(status.get("receipt").get("idempotencyKey").asText()).isEqualTo(id);
        assertThat(GatewayTestEnvironment.simulator("/api/v1/messages/" + id).statusCode()).isEqualTo(200);

        HttpResponse<String> again = post(HOSPITAL, hl7);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("id").asText()).isEqualTo(id);
        assertThat(GatewayTestEnvironment.deliveriesOf(id)).isEqualTo(1);
    }

    @Test
    void wrongResidentIdIsQuarantinedWithRuleFieldAndPathAndDeliveredAfterCorrection() throws Exception {
        String good = sample().replace("ADM0001", "ADM-E2E-2");
        String bad = good.replace("110105196507120248", "110105196507120249");

        String id = JSON.readTree(post(HOSPITAL, bad).body()).get("id").asText();
        JsonNode status = waitForFinal(HOSPITAL, id);
        assertThat(status.get("status").asText()).isEqualTo("REJECTED");
        JsonNode issue = null;
        for (JsonNode candidate : status.get("outcome").get("issue")) {
            if ("yb-rid-check".equals(candidate.at("/details/coding/0/code").asText())) {
                issue = candidate;
            }
        }
        assertThat(issue).as(status.toString()).isNotNull();
        assertThat(issue.at("/location/0").asText()).startsWith("PID-3");
        assertThat(issue.at("/expression/0").asText()).contains("identifier").endsWith(".value");

        HttpResponse<String> quarantine = get(HOSPITAL, "/api/v1/quarantine");
        assertThat(quarantine.body()).contains(id);
        assertThat(get(HOSPITAL, "/api/v1/quarantine/" + id + "/payload").body()).contains("110105196507120249");

        HttpResponse<String> replay = send(HOSPITAL, HttpRequest.newBuilder(uri("/api/v1/quarantine/" + id))
                // curl's default content type: the corrected message must not be taken for form parameters
                .PUT(HttpRequest.BodyPublishers.ofString(good, StandardCharsets.UTF_8)).header("Content-Type", "application/x-www-form-urlencoded").build());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        assertThat(waitForFinal(HOSPITAL, id).get("status").asText()).isEqualTo("DELIVERED");
    }

    @Test
    void theBodyIsTakenByteForByteWhateverTheContentType() throws Exception {
        String hl7 = sample().replace("ADM0001", "ADM-E2E-5");
        HttpResponse<String> accepted = send(HOSPITAL, HttpRequest.newBuilder(uri("/api/v1/inbound/hospital-hl7v2"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(hl7, StandardCharsets.UTF_8)).build());

        String id = JSON.readTree(accepted.body()).get("id").asText();
        assertThat(waitForFinal(HOSPITAL, id).get("status").asText()).isEqualTo("DELIVERED");
    }

    @Test
    void anInstitutionNotEnrolledForTheAdapterIsRefusedWithAnOutcome() throws Exception {
        HttpResponse<String> refused = post(PHARMACY, sample());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("OperationOutcome").contains("gw-adapter-not-enrolled");
    }

    @Test
    void aMessageClaimingAnotherInstitutionIsRefusedWithAnOutcome() throws Exception {
        HttpResponse<String> refused = post(HOSPITAL, sample().replace("|H11010500001|", "|H11010500099|").replace("ADM0001", "ADM-E2E-3"));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("gw-claim-not-allowed").contains("H11010500099");
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedWith413WhetherItsLengthIsDeclaredOrNot() {
        byte[] big = new byte[MAXIMUM_MESSAGE_SIZE + 1];
        Arrays.fill(big, (byte) 'x');
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/v1/inbound/hospital-hl7v2"))
                .header("Content-Type", "x-application/hl7-v2+er7");

        HttpResponse<String> declared = send(HOSPITAL, request.copy().POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());
        HttpResponse<String> chunked = send(HOSPITAL, request.copy()
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());

        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(413);
        assertThat(declared.body()).contains("gw-message-too-large").contains((MAXIMUM_MESSAGE_SIZE + 1) + " bytes")
                .contains("at most " + MAXIMUM_MESSAGE_SIZE);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(chunked.body()).contains("gw-message-too-large").contains("more than " + MAXIMUM_MESSAGE_SIZE);
        // Enrollment comes first: an institution that may not use the adapter learns nothing else.
        assertThat(send(PHARMACY, request.copy().POST(HttpRequest.BodyPublishers.ofByteArray(big)).build()).body())
                .contains("gw-adapter-not-enrolled");
    }

    @Test
    void withoutAClientCertificateTheHandshakeFails() {
        HttpClient anonymous = GatewayTestEnvironment.client(null);

        assertThatThrownBy(() -> GatewayTestEnvironment.send(anonymous,
                HttpRequest.newBuilder(uri("/api/v1/inbound/hospital-hl7v2")).POST(HttpRequest.BodyPublishers.ofString("x")).build()))
                .isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void anotherInstitutionCannotSeeTheMessage() throws Exception {
        String id = JSON.readTree(post(HOSPITAL, sample().replace("ADM0001", "ADM-E2E-4")).body()).get("id").asText();

        assertThat(get(PHARMACY, "/api/v1/messages/" + id).statusCode()).isEqualTo(404);
    }

    private JsonNode waitForFinal(String client, String id) throws Exception {
        HttpResponse<String> response = get(client, "/api/v1/messages/" + id + "?wait=PT30S");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String client, String hl7) {
        return send(client, HttpRequest.newBuilder(uri("/api/v1/inbound/hospital-hl7v2"))
                .header("Content-Type", "x-application/hl7-v2+er7")
                .POST(HttpRequest.BodyPublishers.ofString(hl7, StandardCharsets.UTF_8)).build());
    }

    private HttpResponse<String> get(String client, String path) {
        return send(client, HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private HttpResponse<String> send(String client, HttpRequest request) {
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(client), request);
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    private static String sample() throws Exception {
        return Files.readString(Path.of("samples/adt-a01.hl7"), StandardCharsets.UTF_8);
    }
}
