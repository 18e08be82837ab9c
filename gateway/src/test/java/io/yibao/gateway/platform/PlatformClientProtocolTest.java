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
import java.net.URI;
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
}
