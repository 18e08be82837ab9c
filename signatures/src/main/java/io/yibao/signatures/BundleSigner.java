package io.yibao.signatures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yibao.certs.Credentials;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Signs FHIR R4 Bundles, one at a time or many together under one signature ({@link #signAll}), with a JWS (RFC 7515,
 * detached form) over the root of the tree of their payloads in {@code Bundle.signature}, following
 * {@link BundleSignatureProfile}. Thread-safe: each thread keeps its own initialised
 * Bouncy Castle {@link Signature}, because re-initialising SM2 recomputes the identity hash Z_A; so
 * create one signer per credential and share it. It does not check the certificate's validity
 * period: that is the verifier's job, at the verifier's time.
 */
public final class BundleSigner {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SignatureAlgorithm algorithm;
    private final PrivateKey privateKey;
    private final X509Certificate signerCertificate;
    private final List<X509Certificate> chain;
    private final List<String> x5c;
    private final String signerName;
    private final Clock clock;
    private final ThreadLocal<Signature> signatures;

    /** A signer with the system clock (UTC). */
    public BundleSigner(Credentials credentials, SignatureAlgorithm algorithm) {
        this(credentials, algorithm, Clock.systemUTC());
    }

    /**
     * A signer whose signing times come from {@code clock}.
     *
     * @throws IllegalArgumentException if the key is not on the algorithm's curve, does not belong to
     *     the leaf certificate, or the leaf certificate's key usage forbids signing
     */
    public BundleSigner(Credentials credentials, SignatureAlgorithm algorithm, Clock clock) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.privateKey = credentials.privateKey();
        this.signerCertificate = credentials.certificate();
        if (!algorithm.fitsKey(privateKey)) {
            throw new IllegalArgumentException("the private key is not a " + algorithm.keyAlgorithm() + " key, which " + algorithm + " needs");
        }
        if (!algorithm.fitsKey(signerCertificate.getPublicKey())) {
            throw new IllegalArgumentException("the certificate " + signerCertificate.getSubjectX500Principal() + " does not hold a " + algorithm.keyAlgorithm() + " key");
        }
        boolean[] keyUsage = signerCertificate.getKeyUsage();
        if (keyUsage == null || !keyUsage[0]) {
            // Verifiers require it (docs/security.md), so fail here rather than at the receiver.
            throw new IllegalArgumentException("the certificate " + signerCertificate.getSubjectX500Principal() + " has no digitalSignature key usage");
        }
        requireKeyPair();
        this.chain = chainWithoutRoot(credentials.chain());
        this.x5c = x5c(chain);
        this.signerName = X500Name.getInstance(signerCertificate.getSubjectX500Principal().getEncoded()).toString();
        this.signatures = ThreadLocal.withInitial(() -> {
            try {
                return algorithm.newSigner(privateKey, SignatureAlgorithm.SM2_DEFAULT_USER_ID);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot initialise " + algorithm + " signing", e);
            }
        });
    }

    /**
     * Signs a Bundle: returns the canonical JSON ({@link CanonicalJson}) of the Bundle with its
     * {@code signature} element set (an existing one is replaced). Everything else is unchanged and
     * every number keeps its exact lexical value.
     *
     * @throws InvalidJsonException if the input is not canonicalizable JSON
     * @throws IllegalArgumentException if it is not a Bundle
     */
    public String sign(String bundleJson) {
        return sign(BundleSignatureProfile.requireBundle(CanonicalJson.parse(bundleJson)));
    }

    /**
     * Signs a Bundle given as a JSON tree with exact numbers (as {@link CanonicalJson#parse} gives, or a FHIR
     * encoder writing decimals as {@link java.math.BigDecimal} with their scale): the same output as
     * {@link #sign(String)} for the tree's JSON text. The tree is not changed.
     *
     * @throws InvalidJsonException if the tree cannot be canonicalized (a binary floating-point number, a lone surrogate)
     * @throws IllegalArgumentException if it is not a Bundle
     */
    public String sign(ObjectNode bundleTree) {
        return signAll(List.of(bundleTree)).get(0);
    }

    /**
     * Signs Bundles together, with one signature over the tree of their payloads ({@link SignatureTree}): returns the
     * canonical JSON of each Bundle, in the given order, with its {@code signature} element set (the JWS, the same for
     * all, and the Bundle's place in the tree). Each is then verified on its own, as one signed alone is. The trees are
     * not changed.
     *
     * @throws InvalidJsonException if a tree cannot be canonicalized (a binary floating-point number, a lone surrogate)
     * @throws IllegalArgumentException if one is not a Bundle, or there are none
     */
    public List<String> signAll(List<ObjectNode> bundleTrees) {
        List<CanonicalObject> unsigned = new ArrayList<>(bundleTrees.size());
        List<byte[]> payloads = new ArrayList<>(bundleTrees.size());
        for (ObjectNode bundleTree : bundleTrees) {
            ObjectNode bundle = BundleSignatureProfile.requireBundle(bundleTree);
            if (bundle.has(BundleSignatureProfile.SIGNATURE_ELEMENT)) {
                bundle = bundle.deepCopy();
                bundle.remove(BundleSignatureProfile.SIGNATURE_ELEMENT);
            }
            // Written once: the payload, and below the output with the signature spliced in at its sorted place.
            CanonicalObject canonical = CanonicalJson.ofObject(bundle);
            unsigned.add(canonical);
            payloads.add(canonical.text().getBytes(StandardCharsets.UTF_8));
        }
        SignatureTree tree = SignatureTree.of(payloads, algorithm.newDigest());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);

        ObjectNode header = NODES.objectNode();
        header.put("alg", algorithm.jwsName());
        header.put("typ", BundleSignatureProfile.JWS_TYPE);
        header.put("cty", BundleSignatureProfile.TARGET_FORMAT);
        header.put("iat", now.getEpochSecond());
        ArrayNode chain = header.putArray("x5c");
        x5c.forEach(chain::add);
        header.put(BundleSignatureProfile.TREE_ROOT_PARAMETER, BASE64URL.encodeToString(tree.root()));
        header.put(BundleSignatureProfile.TREE_SIZE_PARAMETER, tree.size());
        String encodedHeader = BASE64URL.encodeToString(CanonicalJson.toCanonicalBytes(header));
        // The JWS payload is empty: the signing input is the header and its '.'.
        String jws = encodedHeader + ".." + BASE64URL.encodeToString(signRaw((encodedHeader + ".").getBytes(StandardCharsets.US_ASCII)));

        String data = Base64.getEncoder().encodeToString(jws.getBytes(StandardCharsets.US_ASCII));
        List<String> signed = new ArrayList<>(unsigned.size());
        for (int i = 0; i < unsigned.size(); i++) {
            signed.add(unsigned.get(i).withMember(BundleSignatureProfile.SIGNATURE_ELEMENT, signatureElement(now, data, tree, i)));
        }
        return signed;
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Whether a signed Bundle carries a signature as this signer makes them now: this signer's certificate as its JWS
     * {@code x5c} leaf, and a header of the current profile (the signed tree's root, {@code ybroot}). False for one
     * signed under another certificate (a key replaced since), one signed by an earlier gateway under the payload-digest
     * profile ({@code ybdig}, which verifiers refuse now), unsigned, or not readable as a signed Bundle. Says nothing of
     * the signature's validity; that is {@link SignatureVerifier}'s job.
     */
    public boolean signsLikeThis(String signedBundleJson) {
        try {
            JsonNode data = CanonicalJson.parse(signedBundleJson).path(BundleSignatureProfile.SIGNATURE_ELEMENT).path("data");
            if (!data.isTextual()) {
                return false;
            }
            String jws = new String(Base64.getMimeDecoder().decode(data.textValue()), StandardCharsets.US_ASCII);
            int separator = jws.indexOf("..");
            if (separator < 0) {
                return false;
            }
            JsonNode header = CanonicalJson.parse(Base64.getUrlDecoder().decode(jws.substring(0, separator)));
            JsonNode leaf = header.path("x5c").path(0);
            return leaf.isTextual() && leaf.textValue().equals(x5c.get(0)) && header.path(BundleSignatureProfile.TREE_ROOT_PARAMETER).isTextual();
        } catch (IllegalArgumentException e) { // not JSON, not base64: not signed by us
            return false;
        }
    }

    public X509Certificate signerCertificate() {
        return signerCertificate;
    }

    /** The chain every signature carries in {@code x5c}: the signer's certificate first, then its CAs but the root. */
    public List<X509Certificate> certificateChain() {
        return chain;
    }

    /** {@code Bundle.signature} of leaf {@code leaf}; {@code data} is the base64 of the JWS, the same for all leaves. */
    private ObjectNode signatureElement(Instant when, String data, SignatureTree tree, int leaf) {
        ObjectNode element = NODES.objectNode();
        ObjectNode type = element.putArray("type").addObject();
        type.put("system", BundleSignatureProfile.SIGNATURE_TYPE_SYSTEM);
        type.put("code", BundleSignatureProfile.SIGNATURE_TYPE_CODE);
        type.put("display", BundleSignatureProfile.SIGNATURE_TYPE_DISPLAY);
        element.put("when", when.toString());
        element.putObject("who").put("display", signerName);
        element.put("targetFormat", BundleSignatureProfile.TARGET_FORMAT);
        element.put("sigFormat", BundleSignatureProfile.SIGNATURE_FORMAT);
        element.put("data", data);
        if (tree.size() > 1) {
            ByteArrayOutputStream path = new ByteArrayOutputStream();
            tree.path(leaf).forEach(path::writeBytes);
            ObjectNode position = element.putArray("extension").addObject();
            position.put("url", BundleSignatureProfile.TREE_POSITION_EXTENSION);
            ArrayNode parts = position.putArray("extension");
            parts.addObject().put("url", BundleSignatureProfile.TREE_LEAF_INDEX).put("valueUnsignedInt", leaf);
            parts.addObject().put("url", BundleSignatureProfile.TREE_PATH).put("valueBase64Binary",
                    Base64.getEncoder().encodeToString(path.toByteArray()));
        }
        return element;
    }

    /** Signs the JWS signing input. */
    private byte[] signRaw(byte[] signingInput) {
        Signature signature = signatures.get();
        try {
            signature.update(signingInput);
            return algorithm.derToRaw(signature.sign());
        } catch (GeneralSecurityException | RuntimeException e) {
            // A failed sign may leave the engine half-fed; start this thread afresh next time.
            signatures.remove();
            throw new IllegalStateException(algorithm + " signing failed", e);
        }
    }

    private void requireKeyPair() {
        byte[] probe = "yibao key pair probe".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = algorithm.newSigner(privateKey, SignatureAlgorithm.SM2_DEFAULT_USER_ID);
            signer.update(probe);
            byte[] der = signer.sign();
            Signature verifier = algorithm.newVerifier(signerCertificate.getPublicKey(), SignatureAlgorithm.SM2_DEFAULT_USER_ID);
            verifier.update(probe);
            if (!verifier.verify(der)) {
                throw new IllegalArgumentException("the private key does not belong to the certificate " + signerCertificate.getSubjectX500Principal());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the key for " + algorithm + ": " + e.getMessage(), e);
        }
    }

    /** The chain as given, leaf first, without a trailing self-issued root. */
    private static List<X509Certificate> chainWithoutRoot(List<X509Certificate> chain) {
        List<X509Certificate> certificates = new ArrayList<>(chain);
        if (certificates.size() > 1) {
            X509Certificate last = certificates.get(certificates.size() - 1);
            if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
                certificates.remove(certificates.size() - 1);
            }
        }
        return List.copyOf(certificates);
    }

    /** x5c (RFC 7515 §4.1.6): base64 DER, leaf first. */
    private static List<String> x5c(List<X509Certificate> certificates) {
        List<String> encoded = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            try {
                encoded.add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
            }
        }
        return List.copyOf(encoded);
    }
}
