package io.yibao.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.signatures.BundleSigner;
import io.yibao.signatures.SignatureAlgorithm;
import io.yibao.standards.StandardPackage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CRLReason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The simulator end to end over mutual TLS, with the JDK HttpClient, against a development PKI
 * generated into a temporary directory before the context starts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = PlatformSimulatorApplication.CONFIG_NAME)
class PlatformSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTITUTION = "client-H11010500001";

    @TempDir
    static Path tmp;
    static Path pki;
    static Path otherPki;
    static Path storage;
    static Map<String, String> examples;
    static HttpClient client;

    @LocalServerPort
    int port;

    /** Evaluated when the context starts, which is after {@link #pkiAndClients()}. */
    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        registry.add("simulator.pki-dir", () -> pki.toString());
        registry.add("simulator.storage-dir", () -> storage.toString());
        registry.add("simulator.revocation-refresh-interval", () -> "0s");
    }

    /** Runs before the Spring context starts: the PKI exists before the server reads it. */
    @BeforeAll
    static void pkiAndClients() throws Exception {
        pki = tmp.resolve("pki");
        DevPki.init(pki);
        storage = tmp.resolve("store");
        otherPki = tmp.resolve("other-pki");
        DevPki.init(otherPki);
        examples = StandardPackage.load().examples();
        client = client(sslContext(pki, INSTITUTION, pki));
    }

    @AfterEach
    void resetFaults() throws Exception {
        send(client, HttpRequest.newBuilder(uri("/api/v1/admin/faults")).DELETE());
    }

    @Test
    void acceptsSignedBundleOnceAndAnswersRepeatsWithTheSameReceipt() throws Exception {
        String bundle = signed(KeyAlgorithm.SM2, "pharmacy-sale-2102.json");
        String key = UUID.randomUUID().toString();
        JsonNode before = getJson("/api/v1/stats");

        HttpResponse<String> first = post(client, key, bundle);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode receipt = JSON.readTree(first.body());
        JsonNode source = JSON.readTree(bundle);
        assertThat(receipt.path("idempotencyKey").asText()).isEqualTo(key);
        assertThat(receipt.path("status").asText()).isEqualTo("accepted");
        assertThat(receipt.path("receiptId").asText()).isNotBlank();
        assertThat(receipt.path("receivedAt").asText()).endsWith("Z");
        assertThat(receipt.path("bundleId").asText()).isEqualTo(source.path("identifier").path("value").asText());
        assertThat(receipt.path("event").asText())
                .isEqualTo(source.path("entry").path(0).path("resource").path("eventCoding").path("code").asText());

        HttpResponse<String> repeat = post(client, key, bundle);
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(repeat.body())).isEqualTo(receipt);

        JsonNode listed = findListed(key);
        assertThat(listed.path("receipt")).isEqualTo(receipt);
        assertThat(listed.path("deliveries").asInt()).isEqualTo(2);
        assertThat(listed.path("stored").asInt()).isEqualTo(1);
        assertThat(listed.path("caller").asText()).contains("CN=H11010500001");
        assertThat(listed.path("callerInstitutionCode").asText()).isEqualTo("H11010500001");
        assertThat(listed.path("signer").asText()).contains("CN=gateway-signing");

        HttpResponse<String> stored = send(client, HttpRequest.newBuilder(uri("/api/v1/messages/" + key)).GET());
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(stored.body()).isEqualTo(bundle);
        Path files = storage.resolve(MessageStore.shardOf(key));
        assertThat(Files.readString(files.resolve(key + ".json"))).isEqualTo(bundle);
        assertThat(JSON.readTree(Files.readString(files.resolve(key + ".receipt.json")))).isEqualTo(receipt);

        JsonNode after = getJson("/api/v1/stats");
        assertThat(after.path("accepted").asLong() - before.path("accepted").asLong()).isEqualTo(1);
        assertThat(after.path("duplicates").asLong() - before.path("duplicates").asLong()).isEqualTo(1);
    }

    @Test
    void acceptsEs256SignaturesAndGatewayClientWithPlatformTlsCertificate() throws Exception {
        HttpClient platformClient = client(sslContext(pki, DevPki.PLATFORM_TLS, pki));
        HttpResponse<String> response = post(platformClient, UUID.randomUUID().toString(),
                signed(KeyAlgorithm.EC_P256, "bank-payment.json"));
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(response.body()).path("event").asText()).isEqualTo("bank-payment");
    }

    @Test
    void sameKeyForAnotherBundleIsAConflict() throws Exception {
        String key = UUID.randomUUID().toString();
        assertThat(post(client, key, signed(KeyAlgorithm.EC_P256, "bank-payment.json")).statusCode()).isEqualTo(201);
        HttpResponse<String> other = post(client, key, signed(KeyAlgorithm.EC_P256, "tax-contribution.json"));
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(issueCode(other)).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(findListed(key).path("deliveries").asInt()).isEqualTo(1);
    }

    @Test
    void rejectsTamperedBundleAsContentAltered() throws Exception {
        String bundle = signed(KeyAlgorithm.SM2, "hospital-outpatient-settlement-2207.json");
        String tampered = bundle.replaceFirst("\"timestamp\":\"2026", "\"timestamp\":\"2027");
        assertThat(tampered).isNotEqualTo(bundle).hasSameSizeAs(bundle);
        String key = UUID.randomUUID().toString();
        JsonNode before = getJson("/api/v1/stats");

        HttpResponse<String> response = post(client, key, tampered);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/fhir+json"));
        JsonNode outcome = JSON.readTree(response.body());
        assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.path("issue").path(0).path("severity").asText()).isEqualTo("error");
        assertThat(outcome.path("issue").path(0).path("code").asText()).isEqualTo("security");
        assertThat(issueCode(response)).isEqualTo("CONTENT_ALTERED");
        assertThat(outcome.path("issue").path(0).path("details").path("text").asText()).startsWith("CONTENT_ALTERED: ");
        assertThat(outcome.path("issue").path(0).path("diagnostics").asText()).isNotBlank();
        assertThat(send(client, HttpRequest.newBuilder(uri("/api/v1/messages/" + key)).GET()).statusCode()).isEqualTo(404);
        assertThat(getJson("/api/v1/stats").path("rejected").asLong()).isEqualTo(before.path("rejected").asLong() + 1);
    }

    @Test
    void rejectsUnsignedBundle() throws Exception {
        HttpResponse<String> response = post(client, UUID.randomUUID().toString(), examples.get("bank-payment.json"));
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(issueCode(response)).isEqualTo("UNSIGNED");
    }

    @Test
    void rejectsSignatureFromAnotherPki() throws Exception {
        String bundle = new BundleSigner(DevPki.credentials(otherPki, KeyAlgorithm.SM2, DevPki.GATEWAY_SIGNING),
                SignatureAlgorithm.SM2).sign(examples.get("bank-payment.json"));
        HttpResponse<String> response = post(client, UUID.randomUUID().toString(), bundle);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(issueCode(response)).isEqualTo("UNTRUSTED_CERTIFICATE");
    }

    /** An institution's SM2 envelope-signing leaf signs here, so that revoking it leaves the other tests' signer alone. */
    @Test
    void rejectsASignatureOnceItsCertificateIsRevokedByTheCrlOfItsCa() throws Exception {
        String leaf = DevPki.envelopeSigningLeafName("H11010500001");
        String bundle = new BundleSigner(DevPki.credentials(pki, KeyAlgorithm.SM2, leaf), SignatureAlgorithm.SM2)
                .sign(examples.get("bank-payment.json"));
        assertThat(post(client, UUID.randomUUID().toString(), bundle).statusCode()).isEqualTo(201);

        DevPki.Revocation revocation = DevPki.revoke(pki, KeyAlgorithm.SM2, leaf, CRLReason.KEY_COMPROMISE);

        HttpResponse<String> response = post(client, UUID.randomUUID().toString(), bundle);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(issueCode(response)).isEqualTo("REVOKED_CERTIFICATE");
        assertThat(response.body()).contains("serial " + revocation.serialNumber().toString(16).toUpperCase())
                .contains("KEY_COMPROMISE");
    }

    /** The pharmacy's TLS certificate: no other test calls with it. */
    @Test
    void refusesACallerWhoseTlsCertificateIsRevoked() throws Exception {
        String leaf = DevPki.clientLeafName("P11010500002");
        HttpClient pharmacy = client(sslContext(pki, leaf, pki));
        String bundle = signed(KeyAlgorithm.SM2, "pharmacy-sale-2102.json");
        assertThat(post(pharmacy, UUID.randomUUID().toString(), bundle).statusCode()).isEqualTo(201);

        DevPki.Revocation revocation = DevPki.revoke(pki, KeyAlgorithm.EC_P256, leaf, CRLReason.AFFILIATION_CHANGED);

        for (HttpResponse<String> refused : List.of(post(pharmacy, UUID.randomUUID().toString(), bundle),
                send(pharmacy, HttpRequest.newBuilder(uri("/api/v1/stats")).GET()))) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(issueCode(refused)).isEqualTo("CALLER_CERTIFICATE_REVOKED");
            assertThat(refused.body()).contains("The caller's TLS certificate (serial "
                    + revocation.serialNumber().toString(16).toUpperCase()).contains("AFFILIATION_CHANGED");
        }
        assertThat(post(client, UUID.randomUUID().toString(), bundle).statusCode()).as("another caller").isEqualTo(201);
    }

    @Test
    void requiresIdempotencyKey() throws Exception {
        HttpResponse<String> response = send(client, HttpRequest.newBuilder(uri("/api/v1/messages"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(signed(KeyAlgorithm.EC_P256, "bank-payment.json"))));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(issueCode(response)).isEqualTo("MISSING_IDEMPOTENCY_KEY");
    }

    @Test
    void unknownMessageIsNotFound() throws Exception {
        HttpResponse<String> response = send(client, HttpRequest.newBuilder(uri("/api/v1/messages/no-such-key")).GET());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(issueCode(response)).isEqualTo("UNKNOWN_MESSAGE");
    }

    // The server aborts the handshake with a TLS alert; the JDK client reports SSLHandshakeException
    // ("bad_certificate" without a certificate, "certificate_unknown" for a foreign one). With TLS 1.3
    // the alert can race the client's first write, so only IOException is asserted.
    @Test
    void handshakeFailsWithoutClientCertificate() throws Exception {
        HttpClient anonymous = client(sslContext(null, null, pki));
        long before = getJson("/api/v1/stats").path("rejected").asLong();
        assertThatThrownBy(() -> send(anonymous, HttpRequest.newBuilder(uri("/api/v1/stats")).GET()))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> post(anonymous, UUID.randomUUID().toString(), signed(KeyAlgorithm.EC_P256, "bank-payment.json")))
                .isInstanceOf(IOException.class);
        assertThat(getJson("/api/v1/stats").path("rejected").asLong()).isEqualTo(before);
    }

    @Test
    void handshakeFailsWithClientCertificateFromAnotherPki() throws Exception {
        // Trusts the simulator's server certificate, but presents a client certificate of another root.
        HttpClient stranger = client(sslContext(otherPki, INSTITUTION, pki));
        assertThatThrownBy(() -> send(stranger, HttpRequest.newBuilder(uri("/api/v1/stats")).GET()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void statusFaultForTwoRequestsThenNormal() throws Exception {
        HttpResponse<String> set = setFault("{\"mode\":\"status\",\"status\":503,\"count\":2}");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).path("remaining").asInt()).isEqualTo(2);
        String bundle = signed(KeyAlgorithm.EC_P256, "bank-payment.json");
        String key = UUID.randomUUID().toString();

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> failed = post(client, key, bundle);
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(issueCode(failed)).isEqualTo("INJECTED_FAULT");
        }
        assertThat(JSON.readTree(send(client, HttpRequest.newBuilder(uri("/api/v1/admin/faults")).GET()).body())
                .path("mode").asText()).isEqualTo("none");
        assertThat(post(client, key, bundle).statusCode()).isEqualTo(201);
        assertThat(findListed(key).path("deliveries").asInt()).isEqualTo(1);
    }

    @Test
    void delayFaultIsHonouredAndTheMessageStillAccepted() throws Exception {
        long delay = 1_500;
        assertThat(setFault("{\"mode\":\"delay\",\"delayMillis\":" + delay + ",\"count\":1}").statusCode()).isEqualTo(200);
        String bundle = signed(KeyAlgorithm.SM2, "bank-payment.json");

        long start = System.nanoTime();
        HttpResponse<String> response = post(client, UUID.randomUUID().toString(), bundle);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(delay);
    }

    @Test
    void timeoutFaultLeavesTheMessageUnprocessed() throws Exception {
        assertThat(setFault("{\"mode\":\"timeout\",\"delayMillis\":1500,\"count\":1}").statusCode()).isEqualTo(200);
        String bundle = signed(KeyAlgorithm.EC_P256, "bank-payment.json");
        String key = UUID.randomUUID().toString();

        HttpClient impatient = client(sslContext(pki, INSTITUTION, pki));
        // Connect first: the 300 ms below must time out the held request, not a TLS handshake on a busy
        // machine (a POST abandoned before it was sent would leave the fault unclaimed for the next one).
        assertThat(send(impatient, HttpRequest.newBuilder(uri("/api/v1/messages/" + key)).GET()).statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> impatient.send(postRequest(key, bundle).timeout(Duration.ofMillis(300)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
        awaitFaultUsedUp();
        assertThat(send(client, HttpRequest.newBuilder(uri("/api/v1/messages/" + key)).GET()).statusCode()).isEqualTo(404);

        // the fault was for one request only
        assertThat(post(client, key, bundle).statusCode()).isEqualTo(201);
    }

    @Test
    void rejectsInvalidFaults() throws Exception {
        HttpResponse<String> response = setFault("{\"mode\":\"explode\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(issueCode(response)).isEqualTo("INVALID_FAULT");
        assertThat(setFault("{\"mode\":\"status\",\"status\":200}").statusCode()).isEqualTo(400);
        assertThat(setFault("{\"mode\":\"delay\",\"count\":0}").statusCode()).isEqualTo(400);
    }

    // ---- helpers

    private String signed(KeyAlgorithm algorithm, String example) throws Exception {
        SignatureAlgorithm signatureAlgorithm = algorithm == KeyAlgorithm.SM2 ? SignatureAlgorithm.SM2 : SignatureAlgorithm.ES256;
        String json = examples.get(example);
        assertThat(json).as(example).isNotNull();
        return new BundleSigner(DevPki.credentials(pki, algorithm, DevPki.GATEWAY_SIGNING), signatureAlgorithm).sign(json);
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    private HttpRequest.Builder postRequest(String key, String bundle) {
        return HttpRequest.newBuilder(uri("/api/v1/messages"))
                .header("Content-Type", "application/fhir+json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(bundle, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(HttpClient httpClient, String key, String bundle) throws Exception {
        return send(httpClient, postRequest(key, bundle));
    }

    private HttpResponse<String> setFault(String json) throws Exception {
        return send(client, HttpRequest.newBuilder(uri("/api/v1/admin/faults"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Waits until the simulator has handed out the active fault to a request (it reads NONE again). */
    private void awaitFaultUsedUp() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!getJson("/api/v1/admin/faults").path("mode").asText().equalsIgnoreCase("none")) {
            assertThat(System.nanoTime()).as("fault claimed within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = send(client, HttpRequest.newBuilder(uri(path)).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode findListed(String key) throws Exception {
        for (JsonNode entry : getJson("/api/v1/messages")) {
            if (entry.path("receipt").path("idempotencyKey").asText().equals(key)) {
                return entry;
            }
        }
        throw new AssertionError("not listed: " + key);
    }

    private static String issueCode(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).path("issue").path(0).path("details").path("coding").path(0)
                .path("code").asText();
    }

    private static HttpResponse<String> send(HttpClient httpClient, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return httpClient.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpClient client(SSLContext sslContext) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .sslContext(sslContext)
                .build();
    }

    /** Client key from {@code keyPki/ec/<leaf>.p12} (none if keyPki is null), trust from {@code trustPki/ec/truststore.p12}. */
    static SSLContext sslContext(Path keyPki, String leaf, Path trustPki) throws Exception {
        KeyManagerFactory keyManagers = null;
        if (keyPki != null) {
            char[] password = DevPki.readStorePassword(keyPki);
            KeyStore keyStore = load(DevPki.hierarchyDirectory(keyPki, KeyAlgorithm.EC_P256).resolve(leaf + ".p12"), password);
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, password);
        }
        KeyStore trustStore = load(DevPki.hierarchyDirectory(trustPki, KeyAlgorithm.EC_P256).resolve("truststore.p12"),
                DevPki.readStorePassword(trustPki));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path store, char[] password) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, password);
        }
        return keyStore;
    }
}
