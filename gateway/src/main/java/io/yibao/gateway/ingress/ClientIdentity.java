package io.yibao.gateway.ingress;

import io.yibao.certs.InstitutionIdentity;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The calling institution, known only from its TLS client certificate (the handshake already verified the chain). */
public final class ClientIdentity {
    private ClientIdentity() {}

    public static Optional<String> institutionOf(HttpServletRequest request) {
        return institutionOf(chainOf(request));
    }

    /** The same for a TLS session outside the servlet container (the MLLP listener). */
    public static Optional<String> institutionOf(SSLSession session) {
        return institutionOf(chainOf(session));
    }

    /** The client chain the caller presented (leaf first), empty without one. */
    public static List<X509Certificate> chainOf(HttpServletRequest request) {
        Object attribute = request.getAttribute("jakarta.servlet.request.X509Certificate");
        return attribute instanceof X509Certificate[] chain ? List.of(chain) : List.of();
    }

    /** The client chain of a TLS session outside the servlet container (leaf first), empty without one. */
    public static List<X509Certificate> chainOf(SSLSession session) {
        if (session == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private static Optional<String> institutionOf(List<X509Certificate> chain) {
        return chain.isEmpty() ? Optional.empty() : InstitutionIdentity.findCode(chain.get(0));
    }
}
