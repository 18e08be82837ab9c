package io.yibao.simulator;

import io.yibao.certs.CertificateRevocation;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A caller whose TLS client chain holds a certificate a CRL of the PKI lists is answered 403 with an OperationOutcome
 * (issue {@code security}, reason {@value #REASON}) before any endpoint reads its request: the TLS handshake only checked
 * that the chain leads to the root.
 */
class RevokedCallerFilter extends OncePerRequestFilter {

    static final String REASON = "CALLER_CERTIFICATE_REVOKED";
    private static final Logger LOG = LoggerFactory.getLogger(RevokedCallerFilter.class);

    private final CertificateRevocation revocation;

    RevokedCallerFilter(CertificateRevocation revocation) {
        this.revocation = revocation;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Object presented = request.getAttribute("jakarta.servlet.request.X509Certificate");
        Optional<CertificateRevocation.Revoked> revoked = presented instanceof X509Certificate[] certificates
                ? revocation.check(List.of(certificates)) : Optional.empty();
        if (revoked.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        String message = revoked.get().describe("caller's TLS certificate");
        LOG.info("{} {} refused: {}", request.getMethod(), request.getRequestURI(), message);
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType(OperationOutcomes.FHIR_JSON.toString());
        response.getOutputStream().write(OperationOutcomes.of("security", REASON, message).toString().getBytes(StandardCharsets.UTF_8));
    }
}
