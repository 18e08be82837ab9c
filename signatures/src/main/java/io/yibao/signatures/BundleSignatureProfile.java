package io.yibao.signatures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Bundle signature profile: which bytes of a FHIR R4 Bundle are signed, the tree in which Bundles signed together
 * are leaves ({@link SignatureTree}), and the names and codes of the JWS (RFC 7515, detached form) over the tree's root
 * carried in {@code Bundle.signature}. docs/security.md describes it for outside verifiers.
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
     * Private protected-header parameter (RFC 7515 §4.3): base64url of the root of the tree of signed payloads
     * ({@link SignatureTree}; SHA-256 for ES256, SM3 for SM2). The JWS itself has an empty payload: it signs its header.
     */
    public static final String TREE_ROOT_PARAMETER = "ybroot";
    /** Private protected-header parameter: how many Bundles (leaves) the signed tree holds, at least 1. */
    public static final String TREE_SIZE_PARAMETER = "ybsize";

    /**
     * The extension of {@code Bundle.signature} that says where the Bundle is in the signed tree: sub-extensions
     * {@value #TREE_LEAF_INDEX} ({@code valueUnsignedInt}) and {@value #TREE_PATH} ({@code valueBase64Binary}, the
     * inclusion proof's hashes concatenated, leaf upwards). Absent when the tree holds one Bundle (leaf 0, empty path).
     */
    public static final String TREE_POSITION_EXTENSION = "https://yibao.io/fhir/StructureDefinition/signature-tree-position";
    public static final String TREE_LEAF_INDEX = "leafIndex";
    public static final String TREE_PATH = "path";

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
