package io.yibao.gateway.ingress;

import io.yibao.adapter.Adapters;
import io.yibao.adapter.EnvelopeSignature;
import io.yibao.adapter.InboundAdapter;
import io.yibao.certs.BouncyCastle;
import io.yibao.certs.CertificateRevocation;
import io.yibao.certs.Credentials;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.config.GatewayProperties.Enrollment;
import io.yibao.signatures.EnvelopeVerification;
import io.yibao.signatures.EnvelopeVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Verifies, at intake, the signature that an adapter's messages carry inside themselves (the national
 * envelope's {@code cainfo}, {@link InboundAdapter#envelopeSignature()}) with the key enrolled for the calling
 * institution ({@code envelope-signing-certificate} or {@code envelope-public-key} of its enrollment). The key is
 * the caller's, the party the client certificate names: the envelope is signed by the system that sends it.
 *
 * <p>Everything that can be checked once is checked at start-up, so that a misconfiguration stops the gateway
 * instead of refusing every message: an institution enrolled for such an adapter has exactly one key; an
 * enrolled certificate is SM2, has the digitalSignature key usage and leads (PKIX, no revocation) to a root of
 * the gateway's PKI ({@code <pki>/ec/root.pem}, {@code <pki>/sm2/root.pem}). Per message only the
 * certificates' validity, their revocation ({@link CertificateRevocation}: rule {@value RevokedCertificateRefusal#RULE}, 403 as
 * the other refusals) and the signature itself are checked.
 */
@Component
public class EnvelopeSignatureCheck {
    private static final Logger log = LoggerFactory.getLogger(EnvelopeSignatureCheck.class);

    /** The rule of a refusal because the envelope signature does not verify (HTTP 403). */
    public static final String RULE = "gw-envelope-cainfo";

    /** An institution's enrolled envelope key: its verifier and, when enrolled as a certificate, the chain. */
    private record EnrolledKey(EnvelopeVerifier verifier, List<X509Certificate> chain) {}

    private final Adapters adapters;
    private final CertificateRevocation revocation;
    private final Clock clock;
    private final Map<String, EnrolledKey> byInstitution = new HashMap<>();

    public EnvelopeSignatureCheck(GatewayProperties properties, Adapters adapters, CertificateRevocation revocation, Clock clock) {
        this.adapters = adapters;
        this.revocation = revocation;
        this.clock = clock;
        Set<TrustAnchor> anchors = trustAnchors(properties.getPki());
        for (Map.Entry<String, Enrollment> enrolled : properties.enrollmentsByInstitution().entrySet()) {
            String institution = enrolled.getKey();
            Enrollment enrollment = enrolled.getValue();
            Optional<EnrolledKey> key = enrolledKey(institution, enrollment, anchors);
            key.ifPresent(k -> byInstitution.put(institution, k));
            for (String adapterId : enrollment.getAdapters()) {
                boolean signed = adapters.byId(adapterId).flatMap(InboundAdapter::envelopeSignature).isPresent();
                if (signed && key.isEmpty()) {
                    throw new IllegalStateException("institution " + institution + " is enrolled for " + adapterId
                            + ", whose messages carry a signed national envelope (cainfo), but has neither envelope-signing-certificate"
                            + " nor envelope-public-key in its enrollment");
                }
            }
        }
    }

    /**
     * Empty when the adapter's messages carry no envelope signature or it verifies with the caller's enrolled
     * key; otherwise why the message is refused (rule {@value #RULE}). The caller is already known to be enrolled
     * for the adapter.
     */
    public Optional<EnrollmentRegistry.Refusal> check(String institution, String adapterId, byte[] payload) {
        Optional<EnvelopeSignature> signature = adapters.byId(adapterId).flatMap(InboundAdapter::envelopeSignature);
        if (signature.isEmpty()) {
            return Optional.empty();
        }
        EnrolledKey key = byInstitution.get(institution);
        if (key == null) {
            // Cannot happen for an adapter loaded at start-up (checked there); kept so that no path accepts unverified.
            return refusal(institution, adapterId, "NO_KEY", "no envelope key is enrolled for " + institution, "机构未登记报文签名密钥");
        }
        for (X509Certificate certificate : key.chain()) {
            try {
                certificate.checkValidity(Date.from(clock.instant()));
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                return refusal(institution, adapterId, "CERTIFICATE_NOT_VALID", "the enrolled envelope-signing certificate "
                        + certificate.getSubjectX500Principal() + " is not valid now (" + certificate.getNotBefore().toInstant() + " to "
                        + certificate.getNotAfter().toInstant() + ")", "登记的报文签名证书不在有效期内");
            }
        }
        Optional<CertificateRevocation.Revoked> revoked = revocation.check(key.chain());
        if (revoked.isPresent()) {
            log.info("envelope of a message from {} for {} refused: enrolled envelope-signing certificate serial {} revoked on {}",
                    institution, adapterId, revoked.get().serial(), revoked.get().revocationDate());
            return Optional.of(RevokedCertificateRefusal.of(revoked.get(), "envelope-signing certificate enrolled for " + institution,
                    "机构 " + institution + " 登记的报文签名证书"));
        }
        EnvelopeVerification verification = key.verifier().verify(payload);
        if (verification.isValid()) {
            return Optional.empty();
        }
        return refusal(institution, adapterId, verification.status().name(), verification.message(), chinese(verification.status()));
    }

    private static Optional<EnrollmentRegistry.Refusal> refusal(String institution, String adapterId, String status, String reason,
                                                                String reasonZh) {
        log.info("envelope signature of a message from {} for {} refused: {}", institution, adapterId, status);
        return Optional.of(new EnrollmentRegistry.Refusal(RULE,
                "cainfo does not verify with the envelope key enrolled for " + institution + ": " + status + " (" + reason
                        + "); nothing was recorded",
                "报文签名 cainfo 未通过机构 " + institution + " 登记的报文签名密钥验证：" + status + "（" + reasonZh + "）；本报文未保存"));
    }

    private static String chinese(EnvelopeVerification.Status status) {
        return switch (status) {
            case VALID -> "签名有效";
            case UNSIGNED -> "报文没有 cainfo 签名";
            case MALFORMED -> "报文不是 UTF-8 JSON 对象，或 cainfo 不是 64 字节签名的 Base64";
            case UNSUPPORTED_ALGORITHM -> "signtype 缺失或不是 SM2";
            case INVALID_SIGNATURE -> "签名不符：报文被修改，或由其他密钥签名";
        };
    }

    private static Optional<EnrolledKey> enrolledKey(String institution, Enrollment enrollment, Set<TrustAnchor> anchors) {
        Path certificateFile = enrollment.getEnvelopeSigningCertificate();
        String rawKey = enrollment.getEnvelopePublicKey();
        if (certificateFile != null && rawKey != null) {
            throw new IllegalStateException("institution " + institution
                    + " enrolls both envelope-signing-certificate and envelope-public-key; give one");
        }
        if (rawKey != null) {
            try {
                return Optional.of(new EnrolledKey(EnvelopeVerifier.forRawPublicKey(rawKey), List.of()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("envelope-public-key of institution " + institution + ": " + e.getMessage(), e);
            }
        }
        if (certificateFile == null) {
            return Optional.empty();
        }
        String where = "envelope-signing-certificate " + certificateFile + " of institution " + institution;
        if (!Files.isRegularFile(certificateFile)) {
            throw new IllegalStateException(where + " does not exist (a development PKI made before envelope-signing leaves"
                    + " existed lacks it: recreate it with `bin/yibao certs init --force <pki>`)");
        }
        List<X509Certificate> chain;
        try {
            chain = Credentials.readCertificates(certificateFile);
        } catch (Exception e) {
            throw new IllegalStateException(where + " cannot be read: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalStateException(where + " holds no certificate");
        }
        X509Certificate leaf = chain.get(0);
        boolean[] keyUsage = leaf.getKeyUsage();
        if (keyUsage != null && !keyUsage[0]) {
            throw new IllegalStateException(where + " lacks the digitalSignature key usage");
        }
        validateChain(chain, anchors, where);
        try {
            return Optional.of(new EnrolledKey(EnvelopeVerifier.forCertificate(leaf), List.copyOf(chain)));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
    }

    /** PKIX without revocation, at the certificates' own validity (expiry is checked per message, not here). */
    private static void validateChain(List<X509Certificate> chain, Set<TrustAnchor> anchors, String where) {
        List<X509Certificate> path = new ArrayList<>(chain);
        if (path.size() > 1 && anchors.stream().anyMatch(a -> a.getTrustedCert().equals(path.get(path.size() - 1)))) {
            path.remove(path.size() - 1);
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            // A certificate that expires later still verifies until then; one already expired is refused per message.
            parameters.setDate(chain.get(0).getNotBefore());
            CertPathValidator.getInstance("PKIX", BouncyCastle.provider())
                    .validate(CertificateFactory.getInstance("X.509", BouncyCastle.provider()).generateCertPath(path), parameters);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(where + " does not lead to a root of the gateway's PKI (a PEM file with the leaf"
                    + " first, then its intermediates): " + e.getMessage(), e);
        }
    }

    private static Set<TrustAnchor> trustAnchors(Path pki) {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            if (Files.isRegularFile(DevPki.hierarchyDirectory(pki, algorithm).resolve("root.pem"))) {
                try {
                    anchors.add(new TrustAnchor(DevPki.rootCertificate(pki, algorithm), null));
                } catch (Exception e) {
                    throw new IllegalStateException("the root certificate of " + DevPki.hierarchyDirectory(pki, algorithm)
                            + " cannot be read: " + e.getMessage(), e);
                }
            }
        }
        return anchors;
    }
}
