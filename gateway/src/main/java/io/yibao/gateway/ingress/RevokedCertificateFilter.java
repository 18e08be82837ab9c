package io.yibao.gateway.ingress;

import io.yibao.certs.CertificateRevocation;
import io.yibao.certs.InstitutionIdentity;
import io.yibao.gateway.operations.ClientCertificateExpiry;
import io.yibao.gateway.pipeline.Outcomes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The HTTPS ingress's one revocation check: every {@code /api/*} call whose TLS client chain holds a revoked certificate
 * ({@link CertificateRevocation}) is answered 403 with an OperationOutcome (rule {@value RevokedCertificateRefusal#RULE}) before
 * any controller reads it, so nothing is recorded and nothing is shown. Every chain is also shown to
 * {@link ClientCertificateExpiry} first, which watches how soon the institutions' certificates run out.
 */
public class RevokedCertificateFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(RevokedCertificateFilter.class);

    private final CertificateRevocation revocation;
    private final ClientCertificateExpiry expiry;

    public RevokedCertificateFilter(CertificateRevocation revocation, ClientCertificateExpiry expiry) {
        this.revocation = revocation;
        this.expiry = expiry;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<X509Certificate> presented = ClientIdentity.chainOf(request);
        expiry.presented(presented);
        Optional<CertificateRevocation.Revoked> revoked = revocation.check(presented);
        if (revoked.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        log.info("{} {} from {} refused: certificate serial {} of its chain revoked on {}", request.getMethod(), request.getRequestURI(),
                InstitutionIdentity.findCode(presented.get(0)).orElse("(no institution code)"), revoked.get().serial(),
                revoked.get().revocationDate());
        EnrollmentRegistry.Refusal refusal = RevokedCertificateRefusal.of(revoked.get(), "client certificate", "客户端证书");
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.getOutputStream().write(Outcomes.refusal(IssueType.FORBIDDEN, refusal.rule(), refusal.message(), refusal.messageZh())
                .getBytes(StandardCharsets.UTF_8));
    }
}
