package io.yibao.gateway.operations;

import io.yibao.certs.CertificateRevocation;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health of a certificate chain the gateway itself presents (beans in {@link OperationsConfiguration}: components
 * {@code signingCertificate}, the chain every signed message carries, and {@code tlsCertificate}, the {@code gateway}
 * SSL bundle's, which institutions and the platform see). DOWN when a CRL of the PKI ({@link CertificateRevocation}, the
 * files ingress uses) lists a certificate of the chain, or one of them is outside its validity: the platform then refuses
 * what the gateway sends ({@code REVOKED_CERTIFICATE}, {@code EXPIRED_CERTIFICATE}, a refused handshake) until it has a
 * new key (a dead letter replayed then is signed again). Details: the leaf's subject, serial number and notAfter, and
 * what is wrong. In the root {@code /actuator/health}, not in {@code readiness}: messages are still accepted and kept.
 */
public class OwnCertificateHealthIndicator implements HealthIndicator {

    private final String role;
    private final List<X509Certificate> chain;
    private final CertificateRevocation revocation;

    /**
     * @param role what the chain is for, as the revocation detail names it (e.g. "gateway's signing certificate")
     * @param chain the leaf first, then its CAs
     */
    public OwnCertificateHealthIndicator(String role, List<X509Certificate> chain, CertificateRevocation revocation) {
        this.role = role;
        this.chain = List.copyOf(chain);
        this.revocation = revocation;
    }

    @Override
    public Health health() {
        X509Certificate leaf = chain.get(0);
        Health.Builder health = Health.up()
                .withDetail("subject", leaf.getSubjectX500Principal().getName())
                .withDetail("serial", leaf.getSerialNumber().toString(16).toUpperCase(Locale.ROOT))
                .withDetail("notAfter", leaf.getNotAfter().toInstant().toString());
        Optional<CertificateRevocation.Revoked> revoked = revocation.check(chain);
        if (revoked.isPresent()) {
            health.down().withDetail("revoked", revoked.get().describe(role));
        }
        Instant now = revocation.now();
        for (X509Certificate certificate : chain) {
            if (now.isBefore(certificate.getNotBefore().toInstant()) || now.isAfter(certificate.getNotAfter().toInstant())) {
                health.down().withDetail("notValid", certificate.getSubjectX500Principal().getName() + " is valid from "
                        + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant());
            }
        }
        return health.build();
    }
}
