package io.yibao.signatures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The national envelope signature profile ({@code cainfo}): which top-level fields of the JSON
 * request envelope are signed and how the signature is labelled. Provinces differ, so the field
 * names, the excluded fields and the SM2 user ID are configurable; {@link #NATIONAL} is the default.
 *
 * @param signatureField the field that carries the Base64 signature ({@code cainfo}); never signed
 * @param signTypeField the field naming the algorithm ({@code signtype}); always signed
 * @param signTypeValue the value the signer writes there and the verifier requires ({@code SM2})
 * @param excludedFields further top-level fields left out of the signed content (none by default)
 * @param userId the SM2 signer identity of GM/T 0009 ({@code 1234567812345678} by default)
 */
public record EnvelopeProfile(String signatureField, String signTypeField, String signTypeValue, Set<String> excludedFields, String userId) {

    /** cainfo over everything else, signtype {@code SM2}, default user ID {@code 1234567812345678}. */
    public static final EnvelopeProfile NATIONAL =
            new EnvelopeProfile("cainfo", "signtype", "SM2", Set.of(), SignatureAlgorithm.SM2_DEFAULT_USER_ID);

    public EnvelopeProfile {
        Objects.requireNonNull(signatureField, "signatureField");
        Objects.requireNonNull(signTypeField, "signTypeField");
        Objects.requireNonNull(signTypeValue, "signTypeValue");
        Objects.requireNonNull(userId, "userId");
        excludedFields = Set.copyOf(excludedFields);
        if (signatureField.equals(signTypeField)) {
            throw new IllegalArgumentException("the signature and sign-type fields must differ");
        }
        if (excludedFields.contains(signTypeField)) {
            throw new IllegalArgumentException("the sign-type field " + signTypeField + " must be signed, it cannot be excluded");
        }
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(userId) || userId.isEmpty() || userId.length() > 8191) {
            throw new IllegalArgumentException("the SM2 user ID must be 1 to 8191 ASCII characters");
        }
    }

    /** This profile with further top-level fields left out of the signed content. */
    public EnvelopeProfile excluding(String... fields) {
        Set<String> excluded = new HashSet<>(excludedFields);
        excluded.addAll(Arrays.asList(fields));
        return new EnvelopeProfile(signatureField, signTypeField, signTypeValue, excluded, userId);
    }

    /** This profile with another SM2 user ID. */
    public EnvelopeProfile withUserId(String userId) {
        return new EnvelopeProfile(signatureField, signTypeField, signTypeValue, excludedFields, userId);
    }

    /**
     * The signed bytes of an envelope as it stands: canonical UTF-8 ({@link CanonicalJson}) of the
     * envelope without the signature field and the excluded fields. The signer sets the sign-type
     * field before computing this.
     */
    public byte[] signedContent(String envelopeJson) {
        return signedContent(requireEnvelope(CanonicalJson.parse(envelopeJson)));
    }

    byte[] signedContent(ObjectNode envelope) {
        ObjectNode copy = envelope.deepCopy();
        copy.remove(signatureField);
        copy.remove(excludedFields);
        return CanonicalJson.toCanonicalBytes(copy);
    }

    static ObjectNode requireEnvelope(JsonNode document) {
        if (!(document instanceof ObjectNode envelope)) {
            throw new IllegalArgumentException("an envelope must be a JSON object");
        }
        return envelope;
    }
}
