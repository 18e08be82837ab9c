package io.yibao.gateway.ingress;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.yibao.certs.CertificateRevocation;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.gateway.config.GatewayProperties;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RevocationListDownloads} against an HTTP distribution point (WireMock) serving the development PKI's real CRLs:
 * a download lands in the file {@link CertificateRevocation} reads, an unchanged CRL costs a 304, and a failed or
 * wrong download leaves the file as it was.
 */
class RevocationListDownloadsTest {
    private static final String PHARMACY = DevPki.clientLeafName("P11010500002");
    private static final String LAST_MODIFIED = "Tue, 24 Nov 2026 08:00:00 GMT";

    @TempDir
    Path dir;

    private WireMockServer ca;
    private Path pki;
    private Path file;
    private RevocationListDownloads downloads;

    @BeforeEach
    void distributionPoint() throws Exception {
        ca = new WireMockServer(wireMockConfig().dynamicPort());
        ca.start();
        pki = dir.resolve("pki");
        DevPki.init(pki);
        file = dir.resolve("crl").resolve("intermediate.crl");
        downloads = new RevocationListDownloads(List.of(download(ca.url("/intermediate.crl"), file)), List.of(file), Duration.ofMinutes(15));
    }

    @AfterEach
    void stop() {
        ca.stop();
    }

    @Test
    void aDownloadedCrlIsTheOneTheRevocationCheckUses() throws Exception {
        DevPki.revoke(pki, KeyAlgorithm.EC_P256, PHARMACY, CRLReason.KEY_COMPROMISE);
        serve(Files.readAllBytes(intermediateCrl()), LAST_MODIFIED);

        assertThat(downloads.downloadAll()).isEqualTo(1);

        assertThat(file).hasSameBinaryContentAs(intermediateCrl());
        CertificateRevocation revocation = new CertificateRevocation(List.of(file), pki, Duration.ofSeconds(5), Clock.systemUTC());
        assertThat(revocation.check(DevPki.credentials(pki, KeyAlgorithm.EC_P256, PHARMACY).chain())).isPresent();
        assertThat(revocation.status()).singleElement().satisfies(status -> assertThat(status.inUse()).isTrue());
    }

    @Test
    void anUnchangedCrlIsAskedForWithIfModifiedSinceAndNotWrittenAgain() throws Exception {
        serve(Files.readAllBytes(intermediateCrl()), LAST_MODIFIED);
        assertThat(downloads.downloadAll()).isEqualTo(1);
        ca.stubFor(get(urlEqualTo("/intermediate.crl")).withHeader("If-Modified-Since", WireMock.equalTo(LAST_MODIFIED))
                .atPriority(1).willReturn(aResponse().withStatus(304)));

        assertThat(downloads.downloadAll()).isZero();

        ca.verify(1, getRequestedFor(urlEqualTo("/intermediate.crl")).withHeader("If-Modified-Since", WireMock.equalTo(LAST_MODIFIED)));
        assertThat(file).hasSameBinaryContentAs(intermediateCrl());
    }

    @Test
    void theSameCrlAgainFromAServerThatSendsNoLastModifiedIsNotWrittenAgain() throws Exception {
        serve(Files.readAllBytes(intermediateCrl()), null);
        assertThat(downloads.downloadAll()).isEqualTo(1);

        assertThat(downloads.downloadAll()).isZero();

        DevPki.revoke(pki, KeyAlgorithm.EC_P256, PHARMACY, CRLReason.KEY_COMPROMISE);
        serve(Files.readAllBytes(intermediateCrl()), null);
        assertThat(downloads.downloadAll()).as("a new CRL").isEqualTo(1);
        assertThat(file).hasSameBinaryContentAs(intermediateCrl());
    }

    @Test
    void aFailedOrWrongDownloadLeavesTheFileAsItWas() throws Exception {
        serve(Files.readAllBytes(intermediateCrl()), null);
        assertThat(downloads.downloadAll()).isEqualTo(1);
        byte[] before = Files.readAllBytes(file);

        serve("<html>maintenance</html>".getBytes(), null);
        assertThat(downloads.downloadAll()).as("not a CRL").isZero();
        ca.stubFor(get(urlEqualTo("/intermediate.crl")).willReturn(aResponse().withStatus(503)));
        assertThat(downloads.downloadAll()).as("HTTP 503").isZero();
        ca.stop();
        assertThat(downloads.downloadAll()).as("unreachable").isZero();

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).as("no partial files").containsExactly(file);
        }
    }

    @Test
    void aDownloadIntoAFileTheCheckDoesNotReadIsRefusedAtStart() {
        Path elsewhere = dir.resolve("elsewhere.crl");

        assertThatThrownBy(() -> new RevocationListDownloads(List.of(download(ca.url("/intermediate.crl"), elsewhere)), List.of(file),
                Duration.ofMinutes(15)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(elsewhere.toString()).hasMessageContaining("yibao.ingress.revocation-lists");
    }

    private Path intermediateCrl() {
        return DevPki.hierarchyDirectory(pki, KeyAlgorithm.EC_P256).resolve(DevPki.INTERMEDIATE_CRL);
    }

    private void serve(byte[] body, String lastModified) {
        var response = aResponse().withStatus(200).withHeader("Content-Type", "application/pkix-crl").withBody(body);
        if (lastModified != null) {
            response.withHeader("Last-Modified", lastModified);
        }
        ca.stubFor(get(urlEqualTo("/intermediate.crl")).willReturn(response));
    }

    private static GatewayProperties.RevocationListDownload download(String url, Path file) {
        GatewayProperties.RevocationListDownload download = new GatewayProperties.RevocationListDownload();
        download.setUrl(URI.create(url));
        download.setFile(file);
        return download;
    }
}
