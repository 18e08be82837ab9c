package io.yibao.signatures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Bundle signature profile: which bytes of a FHIR R4 Bundle are signed, and the names and
 * codes of the detached JWS (RFC 7515 Appendix F) carried in {@code Bundle.signature}.
 * docs/security.md describes it for outside verifiers.
 */
public final class BundleSignatureProfile {

    /** The top-level element that carries the signature and is left out of the signed content. */
    public static final String SIGNATURE_ELEMENT = "signature";

    /** {@code Bundle.signature.type}: ASTM E1762-95 "Verification Signature". */
    public static final String SIGNATURE_TYPE_SYSTEM = "urn:iso-astm:E1762-95:2013";
    public static final String SIGNATURE_TYPE_CODE = "1.2.840.10065.1.12.1.5";
    public static final String SIGNATURE_TYPE_DISPLAY = "Verification Signature";

    /** {@code Bundle.signature.targetFormat} and the JWS {@code cty}: what was signed. */
    public static final String TARGET_FORMAT = "application/fhir+json";
    /** {@code Bundle.signature.sigFormat}: what {@code data} holds. */
    public static final String SIGNATURE_FORMAT = "application/jose";

    /** JWS {@code typ} (RFC 7515 §4.1.9): a compact serialization. */
    public static final String JWS_TYPE = "JOSE";
    /**
     * Private protected-header parameter (RFC 7515 §4.3): base64url of the payload digest (SHA-256
     * for ES256, SM3 for SM2), so a verifier can tell altered content from a bad signature.
     */
    public static final String PAYLOAD_DIGEST_PARAMETER = "ybdig";

    private BundleSignatureProfile() {}

    /**
     * The signed payload: canonical UTF-8 bytes ({@link CanonicalJson}) of the Bundle without its
     * top-level {@code signature} element.
     */
    public static byte[] signedPayload(String bundleJson) {
        return signedPayload(requireBundle(CanonicalJson.parse(bundleJson)));
    }

    static byte[] signedPayload(ObjectNode bundle) {
        ObjectNode copy = bundle.deepCopy();
        copy.remove(SIGNATURE_ELEMENT);
        return CanonicalJson.toCanonicalBytes(copy);
    }

    static ObjectNode requireBundle(JsonNode document) {
        if (!(document instanceof ObjectNode bundle) || !"Bundle".equals(bundle.path("resourceType").textValue())) {
            throw new IllegalArgumentException("not a FHIR Bundle: the document must be an object with resourceType \"Bundle\"");
        }
        return bundle;
    }
}
