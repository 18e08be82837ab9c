package io.yibao.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.yibao.certs.CertificateRevocation;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The CA revokes a hospital's certificate and publishes the new CRL at its distribution point (an HTTP server,
 * WireMock): the running gateway, which downloads that CRL ({@code yibao.ingress.revocation-list-downloads}), refuses
 * the certificate within its download interval, with no file put in place by hand. Before that, the CRL was downloaded
 * at start, before the revocation check first looked at its file.
 *
 * <p>The CA's side is a copy of the test PKI (same keys), revoked there, so that the PKI every test context shares
 * keeps its CRLs; the revoked certificate is this test's own ({@link DevPki#issueClientCertificate}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RevocationListDownloadedEndToEndTest {
    private static final String LEAF = "client-H11010500001-revoked-at-the-ca";
    private static final Path CA = GatewayTestEnvironment.DIR.resolve("revocation-download-ca");
    private static final Path CRL_FILE = GatewayTestEnvironment.DIR.resolve("revocation-download").resolve("crl").resolve("ec-intermediate.crl");
    private static final WireMockServer DISTRIBUTION_POINT = new WireMockServer(wireMockConfig().dynamicPort());

    @LocalServerPort
    int port;

    @Autowired
    CertificateRevocation revocation;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        GatewayTestEnvironment.register(registry, "revocation-download");
        GatewayTestEnvironment.issueOwnHospitalCertificate(LEAF);
        FileSystemUtils.copyRecursively(GatewayTestEnvironment.PKI, CA);
        if (!DISTRIBUTION_POINT.isRunning()) {
            DISTRIBUTION_POINT.start();
        }
        publish();
        registry.add("yibao.ingress.revocation-lists[0]", CRL_FILE::toString);
        registry.add("yibao.ingress.revocation-list-downloads[0].url", () -> DISTRIBUTION_POINT.url("/ec/intermediate.crl"));
        registry.add("yibao.ingress.revocation-list-downloads[0].file", CRL_FILE::toString);
        registry.add("yibao.ingress.revocation-download-interval", () -> "PT0.2S");
        registry.add("yibao.ingress.revocation-refresh-interval", () -> "PT0.1S");
    }

    @AfterAll
    static void stopDistributionPoint() {
        DISTRIBUTION_POINT.stop();
    }

    @Test
    void aCertificateTheCaRevokesIsRefusedOnceItsCrlIsDownloaded() throws Exception {
        assertThat(revocation.status()).singleElement().satisfies(status -> {
            assertThat(status.file()).isEqualTo(CRL_FILE);
            assertThat(status.inUse()).as("downloaded at start: " + status.problem()).isTrue();
        });
        HttpResponse<String> before = post("REVDL-1");
        assertThat(before.statusCode()).as(before.body()).isEqualTo(202);

        DevPki.revoke(CA, KeyAlgorithm.EC_P256, LEAF, CRLReason.KEY_COMPROMISE);
        publish();

        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        HttpResponse<String> after = post("REVDL-2");
        while (after.statusCode() != 403 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            after = post("REVDL-3");
        }
        assertThat(after.statusCode()).as(after.body()).isEqualTo(403);
        assertThat(after.body()).contains("gw-certificate-revoked");
    }

    /** What the CA's distribution point serves: its intermediate's CRL as it is now. */
    private static void publish() throws IOException {
        byte[] crl = Files.readAllBytes(DevPki.hierarchyDirectory(CA, KeyAlgorithm.EC_P256).resolve(DevPki.INTERMEDIATE_CRL));
        DISTRIBUTION_POINT.stubFor(get(urlEqualTo("/ec/intermediate.crl")).willReturn(aResponse().withStatus(200).withBody(crl)));
    }

    private HttpResponse<String> post(String controlId) throws Exception {
        return GatewayTestEnvironment.send(GatewayTestEnvironment.client(LEAF), HttpRequest.newBuilder(URI.create("https://localhost:" + port
                        + "/api/v1/inbound/hospital-hl7v2"))
                .header("Content-Type", "x-application/hl7-v2+er7")
                .POST(HttpRequest.BodyPublishers.ofString(Files.readString(Path.of("samples/adt-a01.hl7"), StandardCharsets.UTF_8)
                        .replace("ADM0001", controlId), StandardCharsets.UTF_8)).build());
    }
}
