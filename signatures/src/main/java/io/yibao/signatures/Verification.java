package io.yibao.signatures;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying a signed Bundle: a status a program can act on, a message a person can
 * read, and on success the signer's certificate, the signed signing time and the Bundle as the verifier read it.
 */
public final class Verification {

    /** Why a signature is or is not acceptable, in the order the verifier checks. */
    public enum Status {
        /** Signature verifies, content unchanged, chain leads to a trust anchor and is valid now. */
        VALID,
        /** No {@code signature} element, or one without a JOSE {@code data} value. */
        UNSIGNED,
        /** The document or its JWS cannot be parsed or lacks a required header parameter. */
        MALFORMED,
        /** The JWS {@code alg} is not one this verifier accepts. */
        UNSUPPORTED_ALGORITHM,
        /** The content (with its place in the signed tree) does not lead to the signed tree root: the Bundle was changed. */
        CONTENT_ALTERED,
        /** The content leads to the signed tree root but the signature does not verify with the x5c leaf key. */
        WRONG_KEY,
        /** The chain does not lead to a trust anchor, is broken, or the leaf may not sign. */
        UNTRUSTED_CERTIFICATE,
        /** A certificate of the chain has expired. */
        EXPIRED_CERTIFICATE,
        /** A certificate of the chain is not valid yet. */
        NOT_YET_VALID,
        /** The chain is valid, but a CRL of its CAs lists a certificate of it: the signer's, or a CA's above it. */
        REVOKED_CERTIFICATE
    }

    private final Status status;
    private final String message;
    private final X509Certificate signer;
    private final Instant signedAt;
    private final ObjectNode bundle;

    private Verification(Status status, String message, ObjectNode bundle, X509Certificate signer, Instant signedAt) {
        this.status = Objects.requireNonNull(status);
        this.message = Objects.requireNonNull(message);
        this.bundle = bundle;
        this.signer = signer;
        this.signedAt = signedAt;
    }

    static Verification valid(ObjectNode bundle, X509Certificate signer, Instant signedAt, String message) {
        return new Verification(Status.VALID, message, Objects.requireNonNull(bundle), signer, signedAt);
    }

    static Verification failed(Status status, String message) {
        if (status == Status.VALID) {
            throw new IllegalArgumentException("a failure cannot be VALID");
        }
        return new Verification(status, message, null, null, null);
    }

    public Status status() {
        return status;
    }

    /** A one-line explanation for logs and operators; never contains payload content. */
    public String message() {
        return message;
    }

    public boolean isValid() {
        return status == Status.VALID;
    }

    /** The signer's (leaf) certificate, present only when {@link #isValid()}. */
    public Optional<X509Certificate> signerCertificate() {
        return Optional.ofNullable(signer);
    }

    /**
     * The verified Bundle as the verifier parsed it (numbers exact), present only when {@link #isValid()}: a reader of its
     * content need not parse the document again. The verifier keeps no reference to it; it is the caller's.
     */
    public Optional<ObjectNode> bundle() {
        return Optional.ofNullable(bundle);
    }

    /** The signing time from the protected header ({@code iat}), present only when {@link #isValid()}. */
    public Optional<Instant> signedAt() {
        return Optional.ofNullable(signedAt);
    }

    @Override
    public String toString() {
        return status + ": " + message;
    }
}
