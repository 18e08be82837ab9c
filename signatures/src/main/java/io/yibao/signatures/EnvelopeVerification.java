package io.yibao.signatures;

import java.util.Objects;

/**
 * The outcome of verifying an envelope's {@code cainfo}: a status a program can act on and a
 * message a person can read (never payload content).
 */
public record EnvelopeVerification(Status status, String message) {

    /** Why an envelope signature is or is not acceptable. */
    public enum Status {
        /** The signature verifies with the configured key over the signed content. */
        VALID,
        /** No signature field, or an empty one. */
        UNSIGNED,
        /** Not a JSON object, or the signature is not Base64 of 64 bytes. */
        MALFORMED,
        /** The sign-type field is missing or names another algorithm. */
        UNSUPPORTED_ALGORITHM,
        /**
         * The signature does not verify: the content was changed or another key signed it. This
         * profile carries no digest, so the two cannot be told apart.
         */
        INVALID_SIGNATURE
    }

    public EnvelopeVerification {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    public boolean isValid() {
        return status == Status.VALID;
    }
}
