package io.yibao.signatures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Test-side access to the parts of a signed Bundle, decoded without the library's verifier. */
final class SignedBundles {
    private SignedBundles() {}

    static String claimBundle() {
        try (InputStream in = SignedBundles.class.getResourceAsStream("/claim-bundle.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The compact detached JWS from Bundle.signature.data. */
    static String jws(String signedBundle) {
        String data = CanonicalJson.parse(signedBundle).path("signature").path("data").textValue();
        return new String(Base64.getDecoder().decode(data), StandardCharsets.US_ASCII);
    }

    static String encodedHeader(String signedBundle) {
        return jws(signedBundle).split("\\.", -1)[0];
    }

    static JsonNode header(String signedBundle) {
        return CanonicalJson.parse(Base64.getUrlDecoder().decode(encodedHeader(signedBundle)));
    }

    static byte[] rawSignature(String signedBundle) {
        return Base64.getUrlDecoder().decode(jws(signedBundle).split("\\.", -1)[2]);
    }

    /** ASCII(BASE64URL(header)) || '.': the JWS's payload is empty (the header carries the tree root). */
    static byte[] signingInput(String signedBundle) {
        return (encodedHeader(signedBundle) + ".").getBytes(StandardCharsets.US_ASCII);
    }

    static String withJws(String signedBundle, String jws) {
        ObjectNode bundle = (ObjectNode) CanonicalJson.parse(signedBundle);
        ((ObjectNode) bundle.get("signature")).put("data", Base64.getEncoder().encodeToString(jws.getBytes(StandardCharsets.US_ASCII)));
        return CanonicalJson.toCanonicalString(bundle);
    }

    /** Re-encodes the protected header with one parameter replaced, keeping the old signature. */
    static String withHeaderParameter(String signedBundle, String name, String value) {
        ObjectNode header = (ObjectNode) header(signedBundle);
        header.put(name, value);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(CanonicalJson.toCanonicalBytes(header));
        return withJws(signedBundle, encoded + ".." + jws(signedBundle).split("\\.", -1)[2]);
    }
}
