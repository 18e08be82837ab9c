package io.yibao.gateway.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.gateway.TestTls;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.platform.PlatformClient.PlatformRejectedException;
import io.yibao.gateway.platform.PlatformClient.PlatformUnavailableException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.gateway.platform.PlatformClient.EntryAnswer;
import io.yibao.gateway.platform.PlatformClient.Outgoing;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform client against a WireMock platform over mutual TLS: how each kind of answer is taken
 * (receipt, retry later, refused for good), timeouts, and receipts that are not receipts.
 */
class PlatformClientProtocolTest {
    private static final String ID = "5b0c8a3e-9f1d-4e2a-8c7b-000000000001";

    @TempDir
    static Path pki;
    private static WireMockServer platform;
    private static PlatformClient client;

    @BeforeAll
    static void start() throws Exception {
        DevPki.init(pki);
        String password = new String(DevPki.readStorePassword(pki));
        Path ec = DevPki.hierarchyDirectory(pki, KeyAlgorithm.EC_P256);
        platform = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(ec.resolve(DevPki.PLATFORM_TLS + ".p12").toString()).keystoreType("PKCS12")
                .keystorePassword(password).keyManagerPassword(password)
                .needClientAuth(true)
                .trustStorePath(ec.resolve("truststore.p12").toString()).trustStoreType("PKCS12").trustStorePassword(password));
        platform.start();
        GatewayProperties properties = new GatewayProperties();
        properties.getPlatform().setUrl(URI.create("https://localhost:" + platform.httpsPort() + "/api/v1/messages"));
        properties.getPlatform().setTimeout(Duration.ofSeconds(1));
        CircuitBreakerProperties breaker = new CircuitBreakerProperties();
        breaker.setEnabled(false); // each answer is looked at on its own here
        client = new PlatformClient(TestTls.sslContext(pki, DevPki.GATEWAY_TLS), properties,
                new PlatformCircuitBreaker(breaker, new SimpleMeterRegistry(), Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        platform.stop();
    }

    @BeforeEach
    void reset() {
        platform.resetAll();
    }

    @Test
    void aReceiptForTheMessageIsReturnedAndTheIdempotencyKeyIsSent() throws Exception {
        platform.stubFor(post("/api/v1/messages").willReturn(aResponse().withStatus(201)
                .withBody("{\"receiptId\":\"r-1\",\"idempotencyKey\":\"" + ID + "\",\"status\":\"accepted\"}")));

        assertThat(client.forward(ID, "{}")).contains("r-1");
        platform.verify(postRequestedFor(urlEqualTo("/api/v1/messages")).withHeader("Idempotency-Key", equalTo(ID))
                .withHeader("Content-Type", equalTo("application/fhir+json")));
    }

    @Test
    void serverErrorsAndOverloadMeanTryAgainLater() {
        for (int status : new int[] {500, 502, 503, 429, 408}) {
            platform.stubFor(post("/api/v1/messages").willReturn(aResponse().withStatus(status)));
            assertThatThrownBy(() -> client.forward(ID, "{}")).as("status %d", status).isInstanceOf(PlatformUnavailableException.class);
        }
    }

    @Test
    void aRefusalIsFinalAndKeepsTheReason() {
        platform.stubFor(post("/api/v1/messages").willReturn(aResponse().withStatus(422)
                .withBody("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"code\":\"CONTENT_ALTERED\"}]}")));

        assertThatThrownBy(() -> client.forward(ID, "{}")).isInstanceOf(PlatformRejectedException.class)
                .satisfies(e -> assertThat(((PlatformRejectedException) e).response()).contains("CONTENT_ALTERED"));
    }

    @Test
    void aSlowPlatformTimesOutAndIsRetriedLater() {
        platform.stubFor(post("/api/v1/messages").willReturn(aResponse().withStatus(201).withFixedDelay(3000)));

        assertThatThrownBy(() -> client.forward(ID, "{}")).isInstanceOf(PlatformUnavailableException.class);
    }

    @Test
    void anAnswerThatIsNotAReceiptForThisMessageIsNotProofOfDelivery() {
        for (String body : new String[] {"accepted", "{\"receiptId\":\"r-2\"}", "{\"idempotencyKey\":\"someone-else\"}", "[]"}) {
            platform.stubFor(post("/api/v1/messages").willReturn(aResponse().withStatus(200).withBody(body)));
            assertThatThrownBy(() -> client.forward(ID, "{}")).as(body).isInstanceOf(PlatformUnavailableException.class);
        }
    }

    @Test
    void aConnectionResetIsTriedAgainLater() {
        platform.stubFor(post("/api/v1/messages").willReturn(aResponse().withFault(
                com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> client.forward(ID, "{}")).isInstanceOf(PlatformUnavailableException.class);
    }

    private static final String ID_2 = "5b0c8a3e-9f1d-4e2a-8c7b-000000000002";
    private static final String ID_3 = "5b0c8a3e-9f1d-4e2a-8c7b-000000000003";
    private static final String ID_4 = "5b0c8a3e-9f1d-4e2a-8c7b-000000000004";
    private static final String ID_5 = "5b0c8a3e-9f1d-4e2a-8c7b-000000000005";
    private static final String ID_6 = "5b0c8a3e-9f1d-4e2a-8c7b-000000000006";

    private static String receipt(String key) {
        return "{\"receiptId\":\"r-" + key.substring(key.length() - 1) + "\",\"idempotencyKey\":\"" + key + "\"}";
    }

    @Test
    void aTransmissionCarriesEachSignedBundleByteForByteUnderItsIdAndEachAnswerIsTakenOnItsOwn() throws Exception {
        // Signed JSON as the signer writes it: the transmission must not re-serialise it (spacing, escapes, 12.50).
        String first = "{\"resourceType\":\"Bundle\",\"id\":\"a\",\"total\":12.50,\"name\":\"\u6d4b\\u8bd5 \\\"x\\\"\"}";
        String second = "{\"resourceType\":\"Bundle\",\"id\":\"b\"}";
        platform.stubFor(post("/api/v1/messages/batch").willReturn(aResponse().withStatus(200).withBody("{\"results\":["
                + "{\"idempotencyKey\":\"" + ID + "\",\"status\":201,\"receipt\":" + receipt(ID) + "},"
                + "{\"idempotencyKey\":\"" + ID_2 + "\",\"status\":200,\"receipt\":" + receipt(ID_2) + "},"
                + "{\"idempotencyKey\":\"" + ID_3 + "\",\"status\":422,\"outcome\":{\"resourceType\":\"OperationOutcome\","
                + "\"issue\":[{\"code\":\"CONTENT_ALTERED\"}]}},"
                + "{\"idempotencyKey\":\"" + ID_4 + "\",\"status\":503},"
                + "{\"idempotencyKey\":\"" + ID_5 + "\",\"status\":201,\"receipt\":" + receipt(ID) + "},"
                + "{\"idempotencyKey\":null,\"status\":400}]}")));

        Map<String, EntryAnswer> answers = client.forwardAll(List.of(new Outgoing(ID, first), new Outgoing(ID_2, second),
                new Outgoing(ID_3, second), new Outgoing(ID_4, second), new Outgoing(ID_5, second), new Outgoing(ID_6, second)));

        assertThat(answers.get(ID)).isInstanceOfSatisfying(EntryAnswer.Delivered.class, d -> assertThat(d.receipt()).contains("r-1"));
        assertThat(answers.get(ID_2)).isInstanceOf(EntryAnswer.Delivered.class);
        assertThat(answers.get(ID_3)).isInstanceOfSatisfying(EntryAnswer.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.outcome()).contains("CONTENT_ALTERED");
        });
        assertThat(answers.get(ID_4)).as("a 5xx for one message: send it again").isInstanceOf(EntryAnswer.Unanswered.class);
        assertThat(answers.get(ID_5)).as("a receipt naming another message is no receipt").isInstanceOf(EntryAnswer.Unanswered.class);
        assertThat(answers.get(ID_6)).as("no result at all").isInstanceOf(EntryAnswer.Unanswered.class);

        String sent = platform.getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertThat(sent).startsWith("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"fullUrl\":\"urn:uuid:" + ID
                + "\",\"resource\":" + first + ",\"request\":{\"method\":\"POST\",\"url\":\"messages\"}},");
        JsonNode transmission = new ObjectMapper().readTree(sent);
        assertThat(transmission.path("entry")).hasSize(6);
        assertThat(transmission.path("entry").path(5).path("fullUrl").asText()).isEqualTo("urn:uuid:" + ID_6);
        platform.verify(postRequestedFor(urlEqualTo("/api/v1/messages/batch")).withHeader("Content-Type", equalTo("application/fhir+json")));
    }

    @Test
    void aTransmissionTheWholeOfWhichFailsIsAnsweredAsASingleMessageWouldBe() {
        List<Outgoing> messages = List.of(new Outgoing(ID, "{}"), new Outgoing(ID_2, "{}"));
        platform.stubFor(post("/api/v1/messages/batch").willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> client.forwardAll(messages)).isInstanceOf(PlatformUnavailableException.class);

        platform.stubFor(post("/api/v1/messages/batch").willReturn(aResponse().withStatus(413).withBody("too many entries")));
        assertThatThrownBy(() -> client.forwardAll(messages)).isInstanceOf(PlatformRejectedException.class);

        platform.stubFor(post("/api/v1/messages/batch").willReturn(aResponse().withStatus(200).withBody("accepted")));
        assertThatThrownBy(() -> client.forwardAll(messages)).as("an answer that is not JSON").isInstanceOf(PlatformUnavailableException.class);
    }
}
