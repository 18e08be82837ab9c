package io.yibao.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.signatures.BundleSigner;
import io.yibao.signatures.SignatureAlgorithm;
import io.yibao.standards.StandardPackage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code POST /api/v1/messages/batch} end to end over mutual TLS: many signed messages in one request,
 * each judged as the single POST judges it, stored byte for byte as sent. Same set-up as
 * {@link PlatformSimulatorTest}: a development PKI in a temporary directory and real signatures.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = PlatformSimulatorApplication.CONFIG_NAME)
class MessageBatchTransmissionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ENTRIES = 6;

    @TempDir
    static Path tmp;
    static Path pki;
    static Map<String, String> examples;
    static HttpClient client;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        registry.add("simulator.pki-dir", () -> pki.toString());
        registry.add("simulator.max-batch-entries", () -> MAX_ENTRIES);
    }

    @BeforeAll
    static void pkiAndClient() throws Exception {
        pki = tmp.resolve("pki");
        DevPki.init(pki);
        examples = StandardPackage.load().examples();
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .sslContext(PlatformSimulatorTest.sslContext(pki, "client-H11010500001", pki))
                .build();
    }

    /** Each test starts from an empty store, zero counters and no fault. */
    @BeforeEach
    void emptySimulator() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/admin/faults")).DELETE()).statusCode()).isEqualTo(204);
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/admin/messages")).DELETE()).statusCode()).isEqualTo(204);
    }

    @Test
    void acceptsThreeSignedMessagesThenAnswersTheirRepeatWithTheSameReceipts() throws Exception {
        List<String> keys = List.of(uuid(), uuid(), uuid());
        List<String> bundles = List.of(signed(KeyAlgorithm.SM2, "pharmacy-sale-2102.json"),
                signed(KeyAlgorithm.EC_P256, "bank-payment.json"), signed(KeyAlgorithm.SM2, "tax-contribution.json"));
        String transmission = transmission(entry(keys.get(0), bundles.get(0)), entry(keys.get(1), bundles.get(1)),
                entry(keys.get(2), bundles.get(2)));

        HttpResponse<String> first = postBatch(transmission);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        JsonNode results = JSON.readTree(first.body()).path("results");
        assertThat(results).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode result = results.get(i);
            assertThat(result.path("idempotencyKey").asText()).isEqualTo(keys.get(i));
            assertThat(result.path("status").asInt()).isEqualTo(201);
            assertThat(result.has("outcome")).isFalse();
            JsonNode receipt = result.path("receipt");
            assertThat(receipt.path("idempotencyKey").asText()).isEqualTo(keys.get(i));
            assertThat(receipt.path("status").asText()).isEqualTo("accepted");
            assertThat(receipt.path("bundleId").asText())
                    .isEqualTo(JSON.readTree(bundles.get(i)).path("identifier").path("value").asText());
            assertThat(storedBundle(keys.get(i))).isEqualTo(bundles.get(i));
        }
        assertThat(stats().path("accepted").asLong()).isEqualTo(3);

        HttpResponse<String> again = postBatch(transmission);

        assertThat(again.statusCode()).isEqualTo(200);
        JsonNode repeats = JSON.readTree(again.body()).path("results");
        assertThat(repeats).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(repeats.get(i).path("status").asInt()).isEqualTo(200);
            assertThat(repeats.get(i).path("receipt")).isEqualTo(results.get(i).path("receipt"));
        }
        JsonNode stats = stats();
        assertThat(stats.path("accepted").asLong()).isEqualTo(3);
        assertThat(stats.path("duplicates").asLong()).isEqualTo(3);
    }

    @Test
    void judgesEachEntryAsTheSinglePostWouldAndStoresTheGoodOne() throws Exception {
        String good = signed(KeyAlgorithm.SM2, "hospital-outpatient-settlement-2207.json");
        String signed = signed(KeyAlgorithm.SM2, "hospital-outpatient-settlement-2207.json");
        String tampered = signed.replaceFirst("\"timestamp\":\"2026", "\"timestamp\":\"2027");
        assertThat(tampered).isNotEqualTo(signed);
        String goodKey = uuid();
        String tamperedKey = uuid();
        String unsignedKey = uuid();

        HttpResponse<String> response = postBatch(transmission(
                entry(goodKey, good),
                entry(tamperedKey, tampered),
                entry(unsignedKey, examples.get("bank-payment.json")),
                "{\"fullUrl\":\"msg-0004\",\"resource\":" + signed(KeyAlgorithm.EC_P256, "bank-payment.json")
                        + ",\"request\":{\"method\":\"POST\",\"url\":\"messages\"}}",
                entry(goodKey.toUpperCase(), signed(KeyAlgorithm.EC_P256, "tax-contribution.json")),
                entry(goodKey, signed(KeyAlgorithm.EC_P256, "tax-contribution.json"))));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode results = JSON.readTree(response.body()).path("results");
        assertThat(results).hasSize(6);
        assertThat(results.get(0).path("status").asInt()).isEqualTo(201);
        assertThat(results.get(0).path("receipt").path("idempotencyKey").asText()).isEqualTo(goodKey);
        assertRefused(results.get(1), tamperedKey, 422, "security", "CONTENT_ALTERED");
        assertRefused(results.get(2), unsignedKey, 422, "security", "UNSIGNED");
        assertRefused(results.get(3), null, 400, "value", "INVALID_IDEMPOTENCY_KEY");
        assertThat(results.get(3).path("outcome").path("issue").path(0).path("diagnostics").asText())
                .contains("Bundle.entry[3].fullUrl");
        // An upper-case UUID is a valid key, and another key than the lower-case one.
        assertThat(results.get(4).path("status").asInt()).isEqualTo(201);
        assertThat(results.get(4).path("idempotencyKey").asText()).isEqualTo(goodKey.toUpperCase());
        assertRefused(results.get(5), goodKey, 409, "conflict", "IDEMPOTENCY_KEY_REUSED");

        assertThat(storedBundle(goodKey)).isEqualTo(good);
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/messages/" + tamperedKey)).GET()).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/messages/" + unsignedKey)).GET()).statusCode()).isEqualTo(404);
        JsonNode stats = stats();
        assertThat(stats.path("accepted").asLong()).isEqualTo(2);
        assertThat(stats.path("rejected").asLong()).isEqualTo(4);
    }

    @Test
    void outcomesAreTheSinglePostsOutcomes() throws Exception {
        String tampered = signed(KeyAlgorithm.SM2, "hospital-outpatient-settlement-2207.json")
                .replaceFirst("\"timestamp\":\"2026", "\"timestamp\":\"2027");

        HttpResponse<String> single = send(HttpRequest.newBuilder(uri("/api/v1/messages"))
                .header("Content-Type", "application/fhir+json")
                .header("Idempotency-Key", uuid())
                .POST(HttpRequest.BodyPublishers.ofString(tampered, StandardCharsets.UTF_8)));
        HttpResponse<String> batch = postBatch(transmission(entry(uuid(), tampered)));

        assertThat(single.statusCode()).isEqualTo(422);
        JsonNode result = JSON.readTree(batch.body()).path("results").get(0);
        assertThat(result.path("status").asInt()).isEqualTo(single.statusCode());
        assertThat(result.path("outcome")).isEqualTo(JSON.readTree(single.body()));
    }

    @Test
    void sameKeyTwiceInOneTransmissionIsJudgedInOrderAsARepeat() throws Exception {
        String key = uuid();
        String bundle = signed(KeyAlgorithm.EC_P256, "bank-payment.json");

        JsonNode results = JSON.readTree(postBatch(transmission(entry(key, bundle), entry(key, bundle))).body())
                .path("results");

        assertThat(results.get(0).path("status").asInt()).isEqualTo(201);
        assertThat(results.get(1).path("status").asInt()).isEqualTo(200);
        assertThat(results.get(1).path("receipt")).isEqualTo(results.get(0).path("receipt"));
    }

    /** Fails if the simulator re-serialises an entry instead of keeping its bytes. */
    @Test
    void keepsEscapesChineseTextAndDecimalsByteForByte() throws Exception {
        String canonical = signed(KeyAlgorithm.SM2, "pharmacy-sale-2102.json");
        assertThat(canonical).contains("\"赵强测试\"").contains("47.60");
        // Same JSON values as the signed canonical form, other bytes: an escaped 赵, an escaped slash,
        // spaces. The signature covers the canonical form, so it still verifies.
        String asSent = "{ " + canonical.substring(1)
                .replace("\"赵强测试\"", "\"\\u8d75强测试\"")
                .replaceFirst("\"http://", "\"http:\\\\/\\\\/");
        assertThat(asSent).contains("\\u8d75", "\\/", "47.60");
        assertThat(JSON.writeValueAsString(JSON.readTree(asSent))).as("a re-serialisation differs")
                .isNotEqualTo(asSent);
        String key = uuid();

        JsonNode result = JSON.readTree(postBatch(transmission(entry(key, asSent))).body()).path("results").get(0);

        assertThat(result.path("status").asInt()).isEqualTo(201);
        assertThat(storedBundle(key)).isEqualTo(asSent);
    }

    @Test
    void refusesABodyThatIsNotABatchBundle() throws Exception {
        String message = signed(KeyAlgorithm.EC_P256, "bank-payment.json");
        assertTransmissionRefused(postBatch(message), 422, "NOT_A_BATCH");
        assertTransmissionRefused(postBatch("{\"resourceType\":\"Bundle\",\"type\":\"batch\"}"), 422, "NOT_A_BATCH");
        assertTransmissionRefused(postBatch("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[" + entry(uuid(),
                message)), 422, "MALFORMED");
        assertTransmissionRefused(postBatch(""), 400, "EMPTY_BODY");
        assertThat(stats().path("rejected").asLong()).isEqualTo(4);
        assertThat(stats().path("accepted").asLong()).isZero();
    }

    @Test
    void refusesMoreEntriesThanTheMaximumWith413() throws Exception {
        String bundle = signed(KeyAlgorithm.EC_P256, "bank-payment.json");
        List<String> entries = new ArrayList<>();
        for (int i = 0; i <= MAX_ENTRIES; i++) {
            entries.add(entry(uuid(), bundle));
        }

        HttpResponse<String> response = postBatch(transmission(entries.toArray(String[]::new)));

        assertTransmissionRefused(response, 413, "TOO_MANY_ENTRIES");
        assertThat(stats().path("accepted").asLong()).isZero();
    }

    @Test
    void injectedStatusFaultAnswersTheWholeTransmissionAndStoresNothing() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/admin/faults"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"status\",\"status\":503,\"count\":1}")))
                .statusCode()).isEqualTo(200);
        String first = uuid();
        String second = uuid();
        String transmission = transmission(entry(first, signed(KeyAlgorithm.EC_P256, "bank-payment.json")),
                entry(second, signed(KeyAlgorithm.SM2, "tax-contribution.json")));

        assertTransmissionRefused(postBatch(transmission), 503, "INJECTED_FAULT");

        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/messages/" + first)).GET()).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/messages/" + second)).GET()).statusCode()).isEqualTo(404);
        JsonNode stats = stats();
        assertThat(stats.path("faulted").asLong()).as("one fault per transmission").isEqualTo(1);
        assertThat(stats.path("accepted").asLong()).isZero();
        // the fault was for one request: the same transmission now goes through
        JsonNode results = JSON.readTree(postBatch(transmission).body()).path("results");
        assertThat(results.get(0).path("status").asInt()).isEqualTo(201);
        assertThat(results.get(1).path("status").asInt()).isEqualTo(201);
    }

    // ---- helpers

    private static void assertRefused(JsonNode result, String key, int status, String issueType, String reason) {
        if (key == null) {
            assertThat(result.has("idempotencyKey")).as("idempotencyKey present, as null").isTrue();
            assertThat(result.path("idempotencyKey").isNull()).isTrue();
        } else {
            assertThat(result.path("idempotencyKey").asText()).isEqualTo(key);
        }
        assertThat(result.path("status").asInt()).isEqualTo(status);
        assertThat(result.has("receipt")).isFalse();
        JsonNode issue = result.path("outcome").path("issue").path(0);
        assertThat(result.path("outcome").path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(issue.path("code").asText()).isEqualTo(issueType);
        assertThat(issue.path("details").path("coding").path(0).path("code").asText()).isEqualTo(reason);
    }

    private static void assertTransmissionRefused(HttpResponse<String> response, int status, String reason)
            throws IOException {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/fhir+json"));
        JsonNode outcome = JSON.readTree(response.body());
        assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.has("results")).isFalse();
        assertThat(outcome.path("issue").path(0).path("details").path("coding").path(0).path("code").asText())
                .isEqualTo(reason);
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    /** One batch entry as the gateway writes it: the signed Bundle's text pasted in unchanged. */
    private static String entry(String key, String signedBundle) {
        return "{\"fullUrl\":\"urn:uuid:" + key + "\",\"resource\":" + signedBundle
                + ",\"request\":{\"method\":\"POST\",\"url\":\"messages\"}}";
    }

    private static String transmission(String... entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[" + String.join(",", entries) + "]}";
    }

    private String signed(KeyAlgorithm algorithm, String example) throws Exception {
        SignatureAlgorithm signatureAlgorithm = algorithm == KeyAlgorithm.SM2 ? SignatureAlgorithm.SM2 : SignatureAlgorithm.ES256;
        String json = examples.get(example);
        assertThat(json).as(example).isNotNull();
        return new BundleSigner(DevPki.credentials(pki, algorithm, DevPki.GATEWAY_SIGNING), signatureAlgorithm).sign(json);
    }

    private HttpResponse<String> postBatch(String body) throws Exception {
        return send(HttpRequest.newBuilder(uri("/api/v1/messages/batch"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private String storedBundle(String key) throws Exception {
        HttpResponse<String> stored = send(HttpRequest.newBuilder(uri("/api/v1/messages/" + key)).GET());
        assertThat(stored.statusCode()).as("stored under " + key).isEqualTo(200);
        return stored.body();
    }

    private JsonNode stats() throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(uri("/api/v1/stats")).GET()).body());
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
