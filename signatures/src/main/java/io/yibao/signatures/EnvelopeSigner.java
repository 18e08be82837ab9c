package io.yibao.signatures;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/**
 * Signs national-interface request envelopes under an {@link EnvelopeProfile}: sets
 * {@code signtype}, then {@code cainfo} = Base64 of the raw {@code r||s} SM3withSM2 signature over
 * the profile's signed content. Thread-safe, with one initialised Bouncy Castle signature per thread.
 */
public final class EnvelopeSigner {

    private final EnvelopeProfile profile;
    private final ThreadLocal<Signature> signatures;

    /** A signer for the {@link EnvelopeProfile#NATIONAL} profile. */
    public EnvelopeSigner(PrivateKey sm2PrivateKey) {
        this(sm2PrivateKey, EnvelopeProfile.NATIONAL);
    }

    /** @throws IllegalArgumentException if the key is not an SM2 key */
    public EnvelopeSigner(PrivateKey sm2PrivateKey, EnvelopeProfile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
        if (!SignatureAlgorithm.SM2.fitsKey(sm2PrivateKey)) {
            throw new IllegalArgumentException("envelope signatures need an SM2 private key");
        }
        this.signatures = ThreadLocal.withInitial(() -> {
            try {
                return SignatureAlgorithm.SM2.newSigner(sm2PrivateKey, profile.userId());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot initialise SM2 signing", e);
            }
        });
    }

    /**
     * Returns the canonical JSON of the envelope with the sign-type field set and the signature
     * field holding the signature (replacing any earlier one).
     *
     * @throws InvalidJsonException if the input is not canonicalizable JSON
     * @throws IllegalArgumentException if it is not a JSON object
     */
    public String sign(String envelopeJson) {
        ObjectNode envelope = EnvelopeProfile.requireEnvelope(CanonicalJson.parse(envelopeJson));
        envelope.put(profile.signTypeField(), profile.signTypeValue());
        byte[] content = profile.signedContent(envelope);
        envelope.put(profile.signatureField(), Base64.getEncoder().encodeToString(signRaw(content)));
        return CanonicalJson.toCanonicalString(envelope);
    }

    public EnvelopeProfile profile() {
        return profile;
    }

    private byte[] signRaw(byte[] content) {
        Signature signature = signatures.get();
        try {
            signature.update(content);
            return SignatureAlgorithm.SM2.derToRaw(signature.sign());
        } catch (GeneralSecurityException | RuntimeException e) {
            signatures.remove();
            throw new IllegalStateException("SM2 signing failed", e);
        }
    }
}
