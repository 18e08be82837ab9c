package io.yibao.signatures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yibao.certs.BouncyCastle;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

/**
 * Verifies the {@code cainfo} of national-interface envelopes with one pinned SM2 public key, given
 * as an X.509 certificate or as a raw {@code 04||X||Y} point in hex or Base64. It checks the
 * signature only: trusting the key (which certificate, whether it is current) is configuration.
 * Thread-safe, with one initialised Bouncy Castle signature per thread.
 */
public final class EnvelopeVerifier {

    private static final Pattern HEX = Pattern.compile("(?i)[0-9a-f]+");

    private final EnvelopeProfile profile;
    private final ThreadLocal<Signature> verifiers;

    /** @throws IllegalArgumentException if the key is not an SM2 key */
    public EnvelopeVerifier(PublicKey sm2PublicKey, EnvelopeProfile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
        if (!SignatureAlgorithm.SM2.fitsKey(sm2PublicKey)) {
            throw new IllegalArgumentException("envelope signatures need an SM2 public key");
        }
        this.verifiers = ThreadLocal.withInitial(() -> {
            try {
                return SignatureAlgorithm.SM2.newVerifier(sm2PublicKey, profile.userId());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot initialise SM2 verification", e);
            }
        });
    }

    /** A verifier for the {@link EnvelopeProfile#NATIONAL} profile with the certificate's key. */
    public static EnvelopeVerifier forCertificate(X509Certificate certificate) {
        return new EnvelopeVerifier(certificate.getPublicKey(), EnvelopeProfile.NATIONAL);
    }

    /** A verifier for the {@link EnvelopeProfile#NATIONAL} profile with a raw public key. */
    public static EnvelopeVerifier forRawPublicKey(String hexOrBase64) {
        return new EnvelopeVerifier(rawSm2PublicKey(hexOrBase64), EnvelopeProfile.NATIONAL);
    }

    /**
     * Parses a raw SM2 public key: the uncompressed point {@code 04||X||Y} (65 bytes), or
     * {@code X||Y} (64 bytes) as some provinces publish it, in hex (130/128 digits) or Base64.
     *
     * @throws IllegalArgumentException if it is neither, or the point is not on the SM2 curve
     */
    public static PublicKey rawSm2PublicKey(String hexOrBase64) {
        String text = hexOrBase64.strip();
        byte[] bytes;
        if (HEX.matcher(text).matches() && (text.length() == 130 || text.length() == 128)) {
            bytes = HexFormat.of().parseHex(text);
        } else {
            try {
                bytes = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("an SM2 public key must be 04||X||Y in hex or Base64");
            }
        }
        if (bytes.length == 64) {
            byte[] uncompressed = new byte[65];
            uncompressed[0] = 0x04;
            System.arraycopy(bytes, 0, uncompressed, 1, 64);
            bytes = uncompressed;
        }
        if (bytes.length != 65 || bytes[0] != 0x04) {
            throw new IllegalArgumentException("an SM2 public key must be the 65-byte uncompressed point 04||X||Y, got " + bytes.length + " bytes");
        }
        ECNamedCurveParameterSpec curve = ECNamedCurveTable.getParameterSpec("sm2p256v1");
        try {
            // decodePoint checks that the point lies on the curve.
            var point = curve.getCurve().decodePoint(bytes);
            return KeyFactory.getInstance("EC", BouncyCastle.provider()).generatePublic(new ECPublicKeySpec(point, curve));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a point on the SM2 curve", e);
        }
    }

    /** Verifies an envelope; never throws for bad input. */
    public EnvelopeVerification verify(String envelopeJson) {
        return verify(() -> CanonicalJson.parse(envelopeJson));
    }

    /**
     * Verifies an envelope as received: strict UTF-8 (RFC 8259 §8.1), no byte order mark. Bytes that are not
     * are {@link EnvelopeVerification.Status#MALFORMED}. Never throws for bad input.
     */
    public EnvelopeVerification verify(byte[] envelopeUtf8) {
        return verify(() -> CanonicalJson.parse(envelopeUtf8));
    }

    private EnvelopeVerification verify(Supplier<JsonNode> parse) {
        ObjectNode envelope;
        try {
            envelope = EnvelopeProfile.requireEnvelope(parse.get());
        } catch (IllegalArgumentException e) {
            return result(EnvelopeVerification.Status.MALFORMED, "envelope is not a canonicalizable JSON object: " + e.getMessage());
        }
        JsonNode signature = envelope.get(profile.signatureField());
        if (signature == null || signature.isNull() || (signature.isTextual() && signature.textValue().isEmpty())) {
            return result(EnvelopeVerification.Status.UNSIGNED, "the envelope has no " + profile.signatureField());
        }
        JsonNode signType = envelope.get(profile.signTypeField());
        if (signType == null || !profile.signTypeValue().equals(signType.textValue())) {
            return result(EnvelopeVerification.Status.UNSUPPORTED_ALGORITHM,
                    profile.signTypeField() + " must be \"" + profile.signTypeValue() + "\", was " + (signType == null ? "missing" : signType.toString()));
        }
        if (!signature.isTextual()) {
            return result(EnvelopeVerification.Status.MALFORMED, profile.signatureField() + " is not a string");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(signature.textValue());
        } catch (IllegalArgumentException e) {
            return result(EnvelopeVerification.Status.MALFORMED, profile.signatureField() + " is not Base64");
        }
        if (raw.length != SignatureAlgorithm.RAW_SIGNATURE_LENGTH) {
            return result(EnvelopeVerification.Status.MALFORMED,
                    profile.signatureField() + " must be " + SignatureAlgorithm.RAW_SIGNATURE_LENGTH + " bytes (r||s), was " + raw.length);
        }
        if (!verifies(profile.signedContent(envelope), raw)) {
            return result(EnvelopeVerification.Status.INVALID_SIGNATURE,
                    "the " + profile.signatureField() + " signature does not verify: the envelope was changed or signed with another key");
        }
        return result(EnvelopeVerification.Status.VALID, "SM3withSM2 " + profile.signatureField() + " signature is valid");
    }

    private boolean verifies(byte[] content, byte[] raw) {
        Signature verifier = verifiers.get();
        try {
            byte[] der = SignatureAlgorithm.SM2.rawToDer(raw);
            verifier.update(content);
            return verifier.verify(der);
        } catch (IllegalArgumentException e) {
            return false;
        } catch (GeneralSecurityException | RuntimeException e) {
            verifiers.remove();
            return false;
        }
    }

    private static EnvelopeVerification result(EnvelopeVerification.Status status, String message) {
        return new EnvelopeVerification(status, message);
    }
}
