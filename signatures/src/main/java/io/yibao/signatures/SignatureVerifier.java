package io.yibao.signatures;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yibao.certs.BouncyCastle;
import io.yibao.certs.CertificateRevocation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies Bundles signed under {@link BundleSignatureProfile}: the JWS, that the Bundle's payload is a leaf of the
 * signed tree, the signature with the x5c leaf key, and the x5c chain up to one of the trust anchors,
 * reporting the first failure as a {@link Verification.Status}. Thread-safe.
 *
 * <p>Chains are validated with Bouncy Castle's PKIX {@link CertPathValidator} (the JDK's cannot
 * check SM2 certificate signatures) without its revocation checking; revocation is asked of a
 * {@link CertificateRevocation} (the CRLs of the PKI's CAs, the same check the gateway's ingress makes) when one is given:
 * a signature whose chain holds a certificate a CRL lists is {@link Verification.Status#REVOKED_CERTIFICATE}, whatever its
 * {@code iat}. The signing time is the signer's own claim (no trusted timestamp), so a key that was compromised could
 * claim any time before its revocation; a party that must show a message was valid when it arrived keeps its own
 * verification result (the platform's receipt).
 *
 * <p>A verifier sees the same few chains over and over (the platform receives every message of a
 * gateway under one signing certificate), and path validation is most of the cost of a verification
 * (docs/benchmarks.md). So a chain that validated is remembered, keyed by its exact {@code x5c} strings,
 * with the window in which every certificate of the path and its anchor is valid; inside that window
 * the PKIX result cannot differ, so the cached chain is accepted without validating it again. Failures
 * are never cached. Revocation is not part of what is remembered: it is looked up at every verification
 * (a map look-up per certificate), so a CRL that lists a certificate takes effect at the next
 * verification after the {@link CertificateRevocation} has read it.
 */
public final class SignatureVerifier {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final Set<TrustAnchor> trustAnchors;
    private final Set<X509Certificate> anchorCertificates;
    private final Clock clock;
    private final CertificateRevocation revocation;
    private final Cache<List<String>, TrustedChain> trustedChains = Caffeine.newBuilder().maximumSize(TRUSTED_CHAINS).build();

    /** Distinct signer chains remembered; a platform has one per gateway signing certificate. */
    static final int TRUSTED_CHAINS = 1_000;

    /** A chain that validated, its certificates and when that result holds. */
    private record TrustedChain(List<X509Certificate> certificates, Instant from, Instant until) {
        boolean holdsAt(Instant instant) {
            return !instant.isBefore(from) && !instant.isAfter(until);
        }
    }

    /**
     * A verifier that checks no revocation: for a PKI that publishes no CRLs, or where revocation is checked elsewhere.
     *
     * @param trustAnchors root certificates a signer's chain must lead to
     * @param clock the time at which certificates must be valid
     */
    public SignatureVerifier(Collection<X509Certificate> trustAnchors, Clock clock) {
        this(trustAnchors, clock, null);
    }

    /**
     * @param trustAnchors root certificates a signer's chain must lead to
     * @param clock the time at which certificates must be valid
     * @param revocation the CRLs a signer's chain is checked against
     */
    public SignatureVerifier(Collection<X509Certificate> trustAnchors, Clock clock, CertificateRevocation revocation) {
        if (trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("at least one trust anchor is needed");
        }
        this.anchorCertificates = Set.copyOf(trustAnchors);
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate root : trustAnchors) {
            anchors.add(new TrustAnchor(root, null));
        }
        this.trustAnchors = Set.copyOf(anchors);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.revocation = revocation;
    }

    /** Verifies a signed Bundle; never throws for bad input, every problem is a {@link Verification}. */
    public Verification verify(String signedBundleJson) {
        return verify(signedBundleJson, new HashMap<>());
    }

    /**
     * A verifier for the signed Bundles received together (a transmission): each is verified on its own, as
     * {@link #verify(String)} does, with one difference in cost only: Bundles signed together carry the same JWS, and it
     * is read, and its signature checked, once for all of them. Content, place in the signed tree, the chain's trust,
     * validity and revocation are checked for each.
     */
    public Transmission transmission() {
        return new Transmission();
    }

    /** See {@link #transmission()}. For one thread and one transmission: it remembers the JWSs it read. */
    public final class Transmission {
        private final Map<String, SignedJws> jwsRead = new HashMap<>();

        private Transmission() {}

        /** Verifies one signed Bundle of the transmission; never throws for bad input. */
        public Verification verify(String signedBundleJson) {
            return SignatureVerifier.this.verify(signedBundleJson, jwsRead);
        }
    }

    /**
     * @param jwsRead the JWSs read so far in this call or transmission, by {@code Bundle.signature.data}: what is read from
     *     the same text, and the check of its signature, cannot differ, so a Bundle of a tree signed together reads its JWS
     *     from here when a sibling came first
     */
    private Verification verify(String signedBundleJson, Map<String, SignedJws> jwsRead) {
        ObjectNode bundle;
        try {
            bundle = BundleSignatureProfile.requireBundle(CanonicalJson.parse(signedBundleJson));
        } catch (IllegalArgumentException e) {
            return Verification.failed(Verification.Status.MALFORMED, "document is not a canonicalizable FHIR Bundle: " + e.getMessage());
        }

        JsonNode element = bundle.get(BundleSignatureProfile.SIGNATURE_ELEMENT);
        if (element == null) {
            return Verification.failed(Verification.Status.UNSIGNED, "the Bundle has no signature element");
        }
        if (!element.path("data").isTextual()) {
            return Verification.failed(Verification.Status.UNSIGNED, "Bundle.signature has no data");
        }
        if (!BundleSignatureProfile.SIGNATURE_FORMAT.equals(element.path("sigFormat").textValue())) {
            return Verification.failed(Verification.Status.UNSIGNED, "Bundle.signature.sigFormat is not " + BundleSignatureProfile.SIGNATURE_FORMAT);
        }
        String data = element.get("data").textValue();
        SignedJws jws = jwsRead.get(data);
        if (jws == null) {
            jws = SignedJws.read(data);
            jwsRead.put(data, jws);
        }
        if (jws.problem() != null) {
            return jws.problem();
        }

        TreePosition position;
        try {
            position = TreePosition.of(element);
        } catch (IllegalArgumentException e) {
            return malformed("Bundle.signature's " + BundleSignatureProfile.TREE_POSITION_EXTENSION + " extension " + e.getMessage());
        }
        TrustedChain trusted = jws.x5c() == null ? null : trustedChains.getIfPresent(jws.x5c());
        if (trusted != null && !trusted.holdsAt(clock.instant())) {
            trusted = null;
        }
        Signer signer = jws.signer(trusted);
        if (signer.problem() != null) {
            return signer.problem();
        }

        SignatureAlgorithm signatureAlgorithm = jws.algorithm();
        X509Certificate leaf = signer.chain().get(0);
        byte[] payload = BundleSignatureProfile.signedPayload(bundle);
        MessageDigest digest = signatureAlgorithm.newDigest();
        if (!SignatureTree.includes(jws.root(), jws.size(), position.leafIndex(), SignatureTree.leafHash(payload, digest),
                position.path(), digest)) {
            return Verification.failed(Verification.Status.CONTENT_ALTERED, "the Bundle content does not lead to the signed "
                    + signatureAlgorithm.digestName() + " tree root: it was changed after signing (or its place in the signed tree was)");
        }
        if (!jws.signatureVerifies(leaf)) {
            return Verification.failed(Verification.Status.WRONG_KEY,
                    "the content matches the signed tree root but the signature does not verify with the key of " + leaf.getSubjectX500Principal());
        }

        if (trusted == null) {
            Verification chainProblem = checkChain(signer.chain());
            if (chainProblem != null) {
                return chainProblem;
            }
            if (jws.x5c() != null) {
                trustedChains.put(jws.x5c(), trustedChain(signer.chain()));
            }
        }
        Instant signedAt = Instant.ofEpochSecond(jws.iat());
        if (revocation != null) {
            Optional<CertificateRevocation.Revoked> revoked = revocation.check(signer.chain());
            if (revoked.isPresent()) {
                return Verification.failed(Verification.Status.REVOKED_CERTIFICATE,
                        revoked.get().describe("signer's certificate") + "; the signature claims " + signedAt);
            }
        }
        return Verification.valid(bundle, leaf, signedAt,
                signatureAlgorithm.jwsName() + " signature by " + leaf.getSubjectX500Principal() + " at " + signedAt + " is valid");
    }

    /**
     * The JWS of a {@code Bundle.signature.data}, read and checked for shape ({@link #problem} says why not), with what is
     * read from it when first needed: its signer's chain, and whether its signature verifies. Not thread-safe (one
     * call or transmission).
     */
    private static final class SignedJws {
        private final Verification problem;
        private final String encodedHeader;
        private final byte[] rawSignature;
        private final SignatureAlgorithm algorithm;
        private final long iat;
        private final byte[] root;
        private final long size;
        private final JsonNode x5cNode;
        private final List<String> x5c;
        private Signer signer;
        private Boolean signatureVerifies;

        private SignedJws(Verification problem, String encodedHeader, byte[] rawSignature, SignatureAlgorithm algorithm, long iat,
                          byte[] root, long size, JsonNode x5cNode) {
            this.problem = problem;
            this.encodedHeader = encodedHeader;
            this.rawSignature = rawSignature;
            this.algorithm = algorithm;
            this.iat = iat;
            this.root = root;
            this.size = size;
            this.x5cNode = x5cNode;
            this.x5c = x5cStrings(x5cNode);
        }

        private static SignedJws failed(Verification problem) {
            return new SignedJws(problem, null, null, null, 0, null, 0, null);
        }

        static SignedJws read(String data) {
            String jws;
            try {
                jws = new String(Base64.getDecoder().decode(withoutWhitespace(data)), StandardCharsets.US_ASCII);
            } catch (IllegalArgumentException e) {
                return failed(malformed("Bundle.signature.data is not base64"));
            }
            int separator = jws.indexOf("..");
            if (separator < 0 || !isBase64Url(jws, 0, separator) || !isBase64Url(jws, separator + 2, jws.length())) {
                return failed(malformed("Bundle.signature.data is not a compact JWS with detached content (header..signature)"));
            }
            String encodedHeader = jws.substring(0, separator);
            JsonNode header;
            byte[] rawSignature;
            try {
                header = CanonicalJson.parse(Base64.getUrlDecoder().decode(encodedHeader));
                rawSignature = Base64.getUrlDecoder().decode(jws.substring(separator + 2));
            } catch (IllegalArgumentException e) {
                return failed(malformed("JWS header or signature cannot be decoded: " + e.getMessage()));
            }
            if (!header.isObject()) {
                return failed(malformed("JWS protected header is not a JSON object"));
            }

            JsonNode alg = header.get("alg");
            if (alg == null || !alg.isTextual()) {
                return failed(malformed("JWS header has no alg"));
            }
            var algorithm = SignatureAlgorithm.forJwsName(alg.textValue());
            if (algorithm.isEmpty()) {
                return failed(Verification.failed(Verification.Status.UNSUPPORTED_ALGORITHM,
                        "JWS alg \"" + alg.textValue() + "\" is not supported; accepted: ES256, SM3withSM2"));
            }
            if (header.has("crit") || header.has("b64")) {
                // RFC 7515 §4.1.11: critical extensions must be understood or refused; this profile has none,
                // and RFC 7797 b64=false would change the signing input.
                return failed(malformed("JWS header uses crit or b64, which this profile does not support"));
            }
            JsonNode iat = header.get("iat");
            if (iat == null || !iat.isIntegralNumber() || !iat.canConvertToLong()) {
                return failed(malformed("JWS header has no integer iat (signing time)"));
            }
            JsonNode rootParameter = header.get(BundleSignatureProfile.TREE_ROOT_PARAMETER);
            if (rootParameter == null || !rootParameter.isTextual()) {
                return failed(malformed("JWS header has no " + BundleSignatureProfile.TREE_ROOT_PARAMETER + " (the root of the signed tree)"));
            }
            JsonNode sizeParameter = header.get(BundleSignatureProfile.TREE_SIZE_PARAMETER);
            if (sizeParameter == null || !sizeParameter.isIntegralNumber() || !sizeParameter.canConvertToLong() || sizeParameter.longValue() < 1) {
                return failed(malformed("JWS header has no integer " + BundleSignatureProfile.TREE_SIZE_PARAMETER
                        + " ≥ 1 (the size of the signed tree)"));
            }
            byte[] root;
            try {
                root = Base64.getUrlDecoder().decode(rootParameter.textValue());
            } catch (IllegalArgumentException e) {
                return failed(malformed("JWS header " + BundleSignatureProfile.TREE_ROOT_PARAMETER + " is not base64url"));
            }
            return new SignedJws(null, encodedHeader, rawSignature, algorithm.get(), iat.longValue(), root, sizeParameter.longValue(),
                    header.get("x5c"));
        }

        /**
         * The signer's chain: the trusted one remembered for the x5c if given, else the x5c decoded (once); or why it cannot
         * sign under this JWS's alg.
         */
        Signer signer(TrustedChain trusted) {
            if (trusted != null) {
                return Signer.of(trusted.certificates(), rawSignature, algorithm);
            }
            if (signer == null) {
                try {
                    signer = Signer.of(certificates(x5cNode), rawSignature, algorithm);
                } catch (RuntimeException | GeneralSecurityException e) {
                    signer = new Signer(null, malformed("JWS header x5c is not a list of base64 DER certificates: " + e.getMessage()));
                }
            }
            return signer;
        }

        /** Whether the signature verifies with the leaf's key; checked once (the same bytes and key give the same answer). */
        boolean signatureVerifies(X509Certificate leaf) {
            if (signatureVerifies == null) {
                byte[] signingInput = (encodedHeader + ".").getBytes(StandardCharsets.US_ASCII);
                signatureVerifies = SignatureVerifier.signatureVerifies(algorithm, leaf, signingInput, rawSignature);
            }
            return signatureVerifies;
        }

        Verification problem() {
            return problem;
        }

        SignatureAlgorithm algorithm() {
            return algorithm;
        }

        long iat() {
            return iat;
        }

        byte[] root() {
            return root;
        }

        long size() {
            return size;
        }

        List<String> x5c() {
            return x5c;
        }
    }

    /** The chain of a JWS's signer, or why its signature cannot be checked (a malformed signature, a key of another algorithm). */
    private record Signer(List<X509Certificate> chain, Verification problem) {
        static Signer of(List<X509Certificate> chain, byte[] rawSignature, SignatureAlgorithm algorithm) {
            if (rawSignature.length != SignatureAlgorithm.RAW_SIGNATURE_LENGTH) {
                return new Signer(null, malformed("JWS signature must be " + SignatureAlgorithm.RAW_SIGNATURE_LENGTH
                        + " bytes (r||s), was " + rawSignature.length));
            }
            X509Certificate leaf = chain.get(0);
            if (!algorithm.fitsKey(leaf.getPublicKey())) {
                return new Signer(null, Verification.failed(Verification.Status.WRONG_KEY, "the x5c leaf " + leaf.getSubjectX500Principal()
                        + " holds no " + algorithm.keyAlgorithm() + " key, which alg " + algorithm.jwsName() + " needs"));
            }
            return new Signer(chain, null);
        }
    }

    /** Where the Bundle is in the signed tree, from {@code Bundle.signature}'s extension (leaf 0, no path, without it). */
    private record TreePosition(long leafIndex, List<byte[]> path) {
        static TreePosition of(JsonNode signatureElement) {
            JsonNode found = null;
            for (JsonNode extension : signatureElement.path("extension")) {
                if (BundleSignatureProfile.TREE_POSITION_EXTENSION.equals(extension.path("url").textValue())) {
                    if (found != null) {
                        throw new IllegalArgumentException("appears twice");
                    }
                    found = extension;
                }
            }
            if (found == null) {
                return new TreePosition(0, List.of());
            }
            JsonNode index = null;
            JsonNode path = null;
            for (JsonNode part : found.path("extension")) {
                String url = part.path("url").textValue();
                if (BundleSignatureProfile.TREE_LEAF_INDEX.equals(url) && index == null) {
                    index = part.get("valueUnsignedInt");
                } else if (BundleSignatureProfile.TREE_PATH.equals(url) && path == null) {
                    path = part.get("valueBase64Binary");
                } else {
                    throw new IllegalArgumentException("has a sub-extension other than one " + BundleSignatureProfile.TREE_LEAF_INDEX
                            + " and one " + BundleSignatureProfile.TREE_PATH);
                }
            }
            if (index == null || !index.isIntegralNumber() || !index.canConvertToLong() || index.longValue() < 0) {
                throw new IllegalArgumentException("has no " + BundleSignatureProfile.TREE_LEAF_INDEX + " (valueUnsignedInt)");
            }
            if (path == null || !path.isTextual()) {
                throw new IllegalArgumentException("has no " + BundleSignatureProfile.TREE_PATH + " (valueBase64Binary)");
            }
            byte[] hashes;
            try {
                hashes = Base64.getDecoder().decode(withoutWhitespace(path.textValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("has a " + BundleSignatureProfile.TREE_PATH + " that is not base64");
            }
            if (hashes.length % HASH_LENGTH != 0) {
                throw new IllegalArgumentException("has a " + BundleSignatureProfile.TREE_PATH + " that is not " + HASH_LENGTH + "-byte hashes");
            }
            List<byte[]> steps = new ArrayList<>();
            for (int from = 0; from < hashes.length; from += HASH_LENGTH) {
                steps.add(Arrays.copyOfRange(hashes, from, from + HASH_LENGTH));
            }
            return new TreePosition(index.longValue(), steps);
        }
    }

    /** The length of SHA-256 and SM3 hashes, the two tree hashes. */
    private static final int HASH_LENGTH = 32;

    private static boolean signatureVerifies(SignatureAlgorithm algorithm, X509Certificate leaf, byte[] signingInput, byte[] raw) {
        try {
            byte[] der = algorithm.rawToDer(raw);
            Signature verifier = algorithm.newVerifier(leaf.getPublicKey(), SignatureAlgorithm.SM2_DEFAULT_USER_ID);
            verifier.update(signingInput);
            return verifier.verify(der);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static List<X509Certificate> certificates(JsonNode x5c) throws GeneralSecurityException {
        if (x5c == null || !x5c.isArray() || x5c.isEmpty()) {
            throw new IllegalArgumentException("x5c is missing or empty");
        }
        CertificateFactory factory = CertificateFactory.getInstance("X.509", BouncyCastle.provider());
        List<X509Certificate> chain = new ArrayList<>();
        for (JsonNode entry : x5c) {
            if (!entry.isTextual()) {
                throw new IllegalArgumentException("x5c entry is not a string");
            }
            // RFC 7515 §4.1.6: standard base64 (not base64url) of the DER.
            byte[] der = Base64.getDecoder().decode(entry.textValue());
            chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        return chain;
    }

    /** The x5c entries as given, or null if they are not all strings (then {@link #certificates} says why). */
    private static List<String> x5cStrings(JsonNode x5c) {
        if (x5c == null || !x5c.isArray() || x5c.isEmpty()) {
            return null;
        }
        List<String> entries = new ArrayList<>(x5c.size());
        for (JsonNode entry : x5c) {
            if (!entry.isTextual()) {
                return null;
            }
            entries.add(entry.textValue());
        }
        return List.copyOf(entries);
    }

    /** A chain that just validated, with the window in which its certificates and its anchors are all valid. */
    private TrustedChain trustedChain(List<X509Certificate> chain) {
        Instant from = Instant.MIN;
        Instant until = Instant.MAX;
        X509Certificate last = chain.get(chain.size() - 1);
        List<X509Certificate> relevant = new ArrayList<>(chain);
        for (X509Certificate anchor : anchorCertificates) {
            if (anchor.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
                relevant.add(anchor);
            }
        }
        for (X509Certificate certificate : relevant) {
            Instant notBefore = certificate.getNotBefore().toInstant();
            Instant notAfter = certificate.getNotAfter().toInstant();
            from = notBefore.isAfter(from) ? notBefore : from;
            until = notAfter.isBefore(until) ? notAfter : until;
        }
        return new TrustedChain(List.copyOf(chain), from, until);
    }

    /** Null if the chain is acceptable now, otherwise the failure. */
    private Verification checkChain(List<X509Certificate> x5c) {
        List<X509Certificate> path = new ArrayList<>(x5c);
        // Tolerate a sender that included the root although the profile says not to.
        if (path.size() > 1 && anchorCertificates.contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        X509Certificate leaf = path.get(0);
        boolean[] keyUsage = leaf.getKeyUsage();
        if (keyUsage == null || !keyUsage[0]) {
            return Verification.failed(Verification.Status.UNTRUSTED_CERTIFICATE,
                    "the signer certificate " + leaf.getSubjectX500Principal() + " has no digitalSignature key usage");
        }
        Instant now = clock.instant();
        try {
            validate(path, now);
            return null;
        } catch (CertPathValidatorException e) {
            return explainChainFailure(path, now, e);
        } catch (GeneralSecurityException e) {
            return Verification.failed(Verification.Status.UNTRUSTED_CERTIFICATE, "the certificate chain cannot be validated: " + e.getMessage());
        }
    }

    private void validate(List<X509Certificate> path, Instant at) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509", BouncyCastle.provider());
        CertPath certPath = factory.generateCertPath(path);
        PKIXParameters parameters = new PKIXParameters(trustAnchors);
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX", BouncyCastle.provider()).validate(certPath, parameters);
    }

    /**
     * Tells a time problem from an untrusted chain: if some certificate is outside its validity now,
     * the chain is validated again at a moment when all are valid; only if it then passes is the
     * failure reported as expired / not yet valid.
     */
    private Verification explainChainFailure(List<X509Certificate> path, Instant now, CertPathValidatorException failure) {
        String untrusted = "the certificate chain does not lead to a trusted root: " + failure.getMessage();
        Instant latestStart = Instant.MIN;
        Instant earliestEnd = Instant.MAX;
        X509Certificate outOfTime = null;
        for (X509Certificate certificate : path) {
            Instant notBefore = certificate.getNotBefore().toInstant();
            Instant notAfter = certificate.getNotAfter().toInstant();
            latestStart = notBefore.isAfter(latestStart) ? notBefore : latestStart;
            earliestEnd = notAfter.isBefore(earliestEnd) ? notAfter : earliestEnd;
            if (outOfTime == null && (now.isBefore(notBefore) || now.isAfter(notAfter))) {
                outOfTime = certificate;
            }
        }
        if (outOfTime == null || latestStart.isAfter(earliestEnd)) {
            return Verification.failed(Verification.Status.UNTRUSTED_CERTIFICATE, untrusted);
        }
        try {
            validate(path, latestStart);
        } catch (GeneralSecurityException e) {
            return Verification.failed(Verification.Status.UNTRUSTED_CERTIFICATE, untrusted);
        }
        Instant notBefore = outOfTime.getNotBefore().toInstant();
        if (now.isBefore(notBefore)) {
            return Verification.failed(Verification.Status.NOT_YET_VALID,
                    "certificate " + outOfTime.getSubjectX500Principal() + " is not valid before " + notBefore + " (now " + now + ")");
        }
        return Verification.failed(Verification.Status.EXPIRED_CERTIFICATE,
                "certificate " + outOfTime.getSubjectX500Principal() + " expired at " + outOfTime.getNotAfter().toInstant() + " (now " + now + ")");
    }

    /**
     * base64Binary may be wrapped; whitespace carries nothing. The regular expression only when there is whitespace:
     * on the usual unwrapped ~3 KB, matching it char by char was ~8 % of the platform simulator's CPU.
     */
    private static String withoutWhitespace(String base64) {
        for (int i = 0; i < base64.length(); i++) {
            char c = base64.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                return WHITESPACE.matcher(base64).replaceAll("");
            }
        }
        return base64;
    }

    /** Whether {@code text[from, to)} is non-empty base64url ({@code [A-Za-z0-9_-]+}). */
    private static boolean isBase64Url(String text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static Verification malformed(String message) {
        return Verification.failed(Verification.Status.MALFORMED, message);
    }
}
