package io.yibao.gateway.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.certs.CertificateRevocation;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.signatures.BundleSigner;
import io.yibao.signatures.SignatureAlgorithm;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The health of a chain the gateway presents: UP while valid, DOWN once a CRL revokes it or it expires. */
class OwnCertificateHealthIndicatorTest {

    @TempDir
    Path dir;

    @Test
    void upForAValidChainDownOnceRevokedOrExpired() throws Exception {
        Path pki = dir.resolve("pki");
        DevPki.init(pki);
        BundleSigner signer = new BundleSigner(DevPki.credentials(pki, KeyAlgorithm.SM2, DevPki.GATEWAY_SIGNING), SignatureAlgorithm.SM2);
        CertificateRevocation revocation = new CertificateRevocation(List.of(), pki, Duration.ZERO, Clock.systemUTC());

        Health valid = new OwnCertificateHealthIndicator("gateway's signing certificate", signer.certificateChain(), revocation).health();
        assertThat(valid.getStatus()).isEqualTo(Status.UP);
        assertThat(valid.getDetails()).containsEntry("subject", signer.signerCertificate().getSubjectX500Principal().getName())
                .containsKey("notAfter").doesNotContainKey("revoked");

        Clock afterExpiry = Clock.fixed(signer.signerCertificate().getNotAfter().toInstant().plusSeconds(60), ZoneOffset.UTC);
        Health expired = new OwnCertificateHealthIndicator("gateway's signing certificate", signer.certificateChain(),
                new CertificateRevocation(List.of(), pki, Duration.ZERO, afterExpiry)).health();
        assertThat(expired.getStatus()).isEqualTo(Status.DOWN);
        assertThat(expired.getDetails().get("notValid").toString()).contains("CN=gateway-signing");

        DevPki.revoke(pki, KeyAlgorithm.SM2, DevPki.GATEWAY_SIGNING, CRLReason.KEY_COMPROMISE);
        Health revoked = new OwnCertificateHealthIndicator("gateway's signing certificate", signer.certificateChain(), revocation).health();
        assertThat(revoked.getStatus()).isEqualTo(Status.DOWN);
        assertThat(revoked.getDetails().get("revoked").toString()).startsWith("The gateway's signing certificate (serial ")
                .contains("KEY_COMPROMISE");
        assertThat(signer.certificateChain()).hasSize(2);
    }
}
