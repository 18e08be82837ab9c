package io.yibao.gateway.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.yibao.certs.InstitutionIdentity;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * When the client certificates the institutions present run out. An institution whose certificate has expired can no
 * longer complete the TLS handshake, and a TLS alert is all its system is told; the gateway does not hold institutions'
 * certificates, so it learns them from the handshakes: for each institution the leaf it presented last (a renewed
 * certificate replaces the old one as soon as it is used).
 *
 * <ul>
 *   <li>Gauge {@code yibao.client.certificate.expiry} (Prometheus {@code yibao_client_certificate_expiry_seconds}):
 *       seconds until the soonest of those certificates expires, NaN before any institution has called. No label names
 *       the institution (docs/architecture.md, Metrics): an alert on it sends the operator to the log.</li>
 *   <li>Log, at WARN, at most once a day per institution while its certificate expires within {@link #WARN_BEFORE}:
 *       the institution code, the certificate's serial and issuer (a CA) and its end of validity; no personal data.</li>
 * </ul>
 * Called for every HTTPS API request ({@code RevokedCertificateFilter}) and MLLP frame ({@code MllpReception}).
 */
@Component
public class ClientCertificateExpiry {
    private static final Logger log = LoggerFactory.getLogger(ClientCertificateExpiry.class);
    /** How long before the end of its validity an institution's certificate is logged as expiring. */
    public static final Duration WARN_BEFORE = Duration.ofDays(30);
    private static final Duration WARN_EVERY = Duration.ofDays(1);

    /** The leaf an institution presented last, and when its expiry was last logged. */
    private record Presented(X509Certificate leaf, Instant notAfter, Instant warned) {}

    private final Clock clock;
    private final Map<String, Presented> byInstitution = new ConcurrentHashMap<>();

    public ClientCertificateExpiry(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        Gauge.builder("yibao.client.certificate.expiry", this, expiry -> expiry.soonest().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN))
                .baseUnit("seconds")
                .description("Seconds until the soonest-expiring client certificate an institution last presented runs out")
                .register(registry);
    }

    /** A client chain (leaf first) an institution presented; a chain without an institution code is ignored. */
    public void presented(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            return;
        }
        X509Certificate leaf = chain.get(0);
        Optional<String> institution = InstitutionIdentity.findCode(leaf);
        if (institution.isEmpty()) {
            return;
        }
        Presented before = byInstitution.get(institution.get());
        Instant now = clock.instant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant warned = before == null || !before.leaf().equals(leaf) ? null : before.warned();
        if (notAfter.isBefore(now.plus(WARN_BEFORE)) && (warned == null || !warned.plus(WARN_EVERY).isAfter(now))) {
            log.warn("client certificate of institution {} (serial {}, issuer {}) expires on {}, in {} days: after that it cannot connect;"
                            + " it needs a renewed certificate", institution.get(), leaf.getSerialNumber().toString(16).toUpperCase(Locale.ROOT),
                    leaf.getIssuerX500Principal().getName(), notAfter, Duration.between(now, notAfter).toDays());
            warned = now;
        }
        if (before == null || !before.leaf().equals(leaf) || warned != before.warned()) {
            byInstitution.put(institution.get(), new Presented(leaf, notAfter, warned));
        }
    }

    /** Time left until the soonest expiry among the certificates the institutions presented last; empty before any. */
    Optional<Duration> soonest() {
        Instant now = clock.instant();
        return byInstitution.values().stream().map(Presented::notAfter).min(Instant::compareTo).map(end -> Duration.between(now, end));
    }
}
