package io.yibao.gateway.operations;

import io.yibao.certs.CertificateRevocation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Health component {@code revocationLists}: the CRLs ingress checks certificates against ({@link CertificateRevocation}),
 * per file its issuer, thisUpdate, nextUpdate, entries, and why its content is not used if it is not.
 * <ul>
 *   <li>DOWN when a file has no verified CRL in use (missing, unreadable, signed by a key that is not its issuer's):
 *       certificates of that CA are not checked for revocation. Not for a missing file of the development PKI's own
 *       (no {@code yibao.ingress.revocation-lists} configured) from before the PKI had CRLs: UNKNOWN when no CRL at all
 *       is in use, so the gateway runs as it did, with the problem in the details and a WARN in the log.</li>
 *   <li>{@value #STALE} when a CRL in use is past its nextUpdate (its entries still apply; a newer CRL is due). A status of
 *       its own, which the root status ignores: a late CRL does not make the gateway unhealthy.</li>
 *   <li>UP otherwise.</li>
 * </ul>
 * Like {@code platform}, it is in the root {@code /actuator/health}, not in the {@code readiness} group.
 */
@Component("revocationListsHealthIndicator")
public class RevocationListsHealthIndicator implements HealthIndicator {
    /** The status of a CRL past its nextUpdate. */
    public static final String STALE = "STALE";

    private final CertificateRevocation revocation;

    public RevocationListsHealthIndicator(CertificateRevocation revocation) {
        this.revocation = revocation;
    }

    @Override
    public Health health() {
        Instant now = revocation.now();
        List<CertificateRevocation.ListStatus> statuses = revocation.status();
        boolean missing = statuses.stream().anyMatch(status -> !status.inUse() && (status.configured() || status.problem() == null
                || !status.problem().equals(CertificateRevocation.MISSING)));
        boolean noneInUse = statuses.stream().noneMatch(CertificateRevocation.ListStatus::inUse);
        boolean stale = statuses.stream().anyMatch(status -> status.staleAt(now));
        Health.Builder health = missing ? Health.down() : noneInUse ? Health.unknown()
                : stale ? Health.status(new Status(STALE)) : Health.up();
        for (CertificateRevocation.ListStatus status : statuses) {
            Map<String, Object> detail = new LinkedHashMap<>();
            if (status.inUse()) {
                detail.put("issuer", status.issuer());
                detail.put("thisUpdate", status.thisUpdate().toString());
                detail.put("nextUpdate", status.nextUpdate() == null ? "none" : status.nextUpdate().toString());
                detail.put("revoked", status.entries());
                detail.put("stale", status.staleAt(now));
            }
            if (status.problem() != null) {
                detail.put("problem", status.problem());
            }
            health.withDetail(status.file().toString(), detail);
        }
        return health.build();
    }
}
