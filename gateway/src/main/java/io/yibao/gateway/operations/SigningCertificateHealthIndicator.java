package io.yibao.gateway.operations;

import io.yibao.certs.CertificateRevocation;
import io.yibao.signatures.BundleSigner;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code signingCertificate}: whether the platform can accept what the gateway signs. DOWN when a CRL of
 * the PKI ({@link CertificateRevocation}, the files ingress uses) lists a certificate of the gateway's signing chain, or
 * one of them is outside its validity: the platform then refuses every message ({@code REVOKED_CERTIFICATE},
 * {@code EXPIRED_CERTIFICATE}) and each is dead-lettered until the gateway signs with a new key (a replay then signs it
 * again). Details: the signing certificate's subject, serial number and notAfter, and what is wrong. Like
 * {@code platform}, in the root {@code /actuator/health}, not in {@code readiness}: messages are still accepted and kept.
 */
@Component("signingCertificateHealthIndicator")
public class SigningCertificateHealthIndicator implements HealthIndicator {

    private final BundleSigner signer;
    private final CertificateRevocation revocation;

    public SigningCertificateHealthIndicator(BundleSigner signer, CertificateRevocation revocation) {
        this.signer = signer;
        this.revocation = revocation;
    }

    @Override
    public Health health() {
        X509Certificate leaf = signer.signerCertificate();
        Health.Builder health = Health.up()
                .withDetail("subject", leaf.getSubjectX500Principal().getName())
                .withDetail("serial", leaf.getSerialNumber().toString(16).toUpperCase(Locale.ROOT))
                .withDetail("notAfter", leaf.getNotAfter().toInstant().toString())
                .withDetail("algorithm", signer.algorithm().jwsName());
        Optional<CertificateRevocation.Revoked> revoked = revocation.check(signer.certificateChain());
        if (revoked.isPresent()) {
            health.down().withDetail("revoked", revoked.get().describe("gateway's signing certificate"));
        }
        Instant now = revocation.now();
        for (X509Certificate certificate : signer.certificateChain()) {
            if (now.isBefore(certificate.getNotBefore().toInstant()) || now.isAfter(certificate.getNotAfter().toInstant())) {
                health.down().withDetail("notValid", certificate.getSubjectX500Principal().getName() + " is valid from "
                        + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant());
            }
        }
        return health.build();
    }
}
