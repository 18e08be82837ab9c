package io.yibao.gateway.ingress;

import io.yibao.adapter.Adapters;
import io.yibao.certs.Institution;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.config.GatewayProperties.Enrollment;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Who may send what: which adapters an institution (identified by its client certificate) may use,
 * and for which institution codes it may send. From configuration today; a database table later.
 */
@Component
public class EnrollmentRegistry {
    private static final Logger log = LoggerFactory.getLogger(EnrollmentRegistry.class);

    /** Why a request is refused, in English and Chinese. */
    public record Refusal(String rule, String message, String messageZh) {}

    private final Map<String, Enrollment> byInstitution;

    /**
     * @throws IllegalStateException naming the property, if an institution is enrolled for an adapter the gateway does
     *                               not have or may send for something that is not an institution code (a typo would
     *                               otherwise surface only as every such request refused)
     */
    public EnrollmentRegistry(GatewayProperties properties, Adapters adapters) {
        byInstitution = properties.enrollmentsByInstitution();
        byInstitution.forEach((institution, enrollment) -> {
            for (String adapter : enrollment.getAdapters()) {
                if (adapters.byId(adapter).isEmpty()) {
                    throw new IllegalStateException("yibao.enrollments." + institution + ".adapters: no adapter '" + adapter
                            + "' in this gateway; it has " + new TreeSet<>(adapters.all().keySet()));
                }
            }
            for (String other : enrollment.getSendsFor()) {
                if (!Institution.isWellFormedCode(other)) {
                    throw new IllegalStateException("yibao.enrollments." + institution + ".sends-for: '" + other
                            + "' is not an institution code (12 characters: a letter, a 6-digit region code and a 5-digit sequence)");
                }
            }
        });
        byInstitution.forEach((institution, enrollment) -> log.info("enrolled: {} for {}{}", institution, enrollment.getAdapters(),
                enrollment.getSendsFor().isEmpty() ? "" : ", sending also for " + enrollment.getSendsFor()));
    }

    /** Empty when the institution may use the adapter; otherwise why not. */
    public Optional<Refusal> checkAdapter(String institution, String adapter) {
        Enrollment enrollment = byInstitution.get(institution);
        if (enrollment == null) {
            return Optional.of(new Refusal("gw-not-enrolled", "Institution " + institution + " is not enrolled at this gateway",
                    "机构 " + institution + " 未在本网关登记"));
        }
        if (!enrollment.getAdapters().contains(adapter)) {
            return Optional.of(new Refusal("gw-adapter-not-enrolled", "Institution " + institution + " is not enrolled for adapter " + adapter,
                    "机构 " + institution + " 未登记使用适配器 " + adapter));
        }
        return Optional.empty();
    }

    /** Empty when the institution may send messages that claim to come from {@code claimed}. */
    public Optional<Refusal> checkClaim(String institution, String claimed) {
        Enrollment enrollment = byInstitution.get(institution);
        boolean allowed = institution.equals(claimed) || (enrollment != null && enrollment.getSendsFor().contains(claimed));
        return allowed ? Optional.empty() : Optional.of(new Refusal("gw-claim-not-allowed",
                "The message claims institution " + claimed + " but the client certificate is " + institution
                        + ", which may not send for it",
                "报文声明的机构 " + claimed + " 与客户端证书的机构 " + institution + " 不符，且无代发权限"));
    }
}
