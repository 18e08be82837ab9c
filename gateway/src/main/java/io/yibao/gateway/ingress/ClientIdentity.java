package io.yibao.gateway.ingress;

import io.yibao.certs.InstitutionIdentity;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The calling institution, known only from its TLS client certificate (the handshake already verified the chain). */
public final class ClientIdentity {
    private ClientIdentity() {}

    public static Optional<String> institutionOf(HttpServletRequest request) {
        Object attribute = request.getAttribute("jakarta.servlet.request.X509Certificate");
        if (attribute instanceof X509Certificate[] chain && chain.length > 0) {
            return InstitutionIdentity.findCode(chain[0]);
        }
        return Optional.empty();
    }

    /** The same for a TLS session outside the servlet container (the MLLP listener). */
    public static Optional<String> institutionOf(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            java.security.cert.Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? InstitutionIdentity.findCode(leaf) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }
}
