package io.yibao.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BundleSignatureRoundTripTest {
    private static final Instant SIGNING_TIME = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    private static TestPki pki(SignatureAlgorithm algorithm) {
        return TestPki.create(algorithm.keyAlgorithm());
    }

    private static BundleSigner signer(TestPki pki, SignatureAlgorithm algorithm) {
        return new BundleSigner(pki.signing, algorithm, Clock.fixed(SIGNING_TIME, ZoneOffset.UTC));
    }

    private static SignatureVerifier verifier(TestPki pki) {
        return new SignatureVerifier(List.of(pki.root), Clock.systemUTC());
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aSignedBundleVerifiesAndNamesItsSigner(SignatureAlgorithm algorithm) {
        TestPki pki = pki(algorithm);

        String signed = signer(pki, algorithm).sign(SignedBundles.claimBundle());
        Verification verification = verifier(pki).verify(signed);

        assertThat(verification.status()).as(verification.message()).isEqualTo(Verification.Status.VALID);
        assertThat(verification.signerCertificate()).contains(pki.signing.certificate());
        assertThat(verification.signedAt()).contains(SIGNING_TIME);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void theProtectedHeaderCarriesAlgChainTimeAndTreeRoot(SignatureAlgorithm algorithm) throws Exception {
        TestPki pki = pki(algorithm);
        String signed = signer(pki, algorithm).sign(SignedBundles.claimBundle());

        JsonNode header = SignedBundles.header(signed);

        assertThat(header.get("alg").textValue()).isEqualTo(algorithm.jwsName());
        assertThat(header.get("typ").textValue()).isEqualTo("JOSE");
        assertThat(header.get("cty").textValue()).isEqualTo("application/fhir+json");
        assertThat(header.get("iat").longValue()).isEqualTo(SIGNING_TIME.getEpochSecond());
        assertThat(header.get("x5c")).hasSize(2);
        assertThat(Base64.getDecoder().decode(header.get("x5c").get(0).textValue())).isEqualTo(pki.signing.certificate().getEncoded());
        assertThat(Base64.getDecoder().decode(header.get("x5c").get(1).textValue())).isEqualTo(pki.intermediate.getEncoded());
        // A Bundle signed alone is a tree of one: the root is the leaf hash, H(0x00 || payload).
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance(algorithm.digestName(), io.yibao.certs.BouncyCastle.provider());
        digest.update((byte) 0);
        digest.update(BundleSignatureProfile.signedPayload(signed));
        assertThat(Base64.getUrlDecoder().decode(header.get("ybroot").textValue())).isEqualTo(digest.digest());
        assertThat(header.get("ybsize").longValue()).isEqualTo(1);
        assertThat(SignedBundles.rawSignature(signed)).hasSize(64);
        assertThat(SignedBundles.jws(signed)).matches("[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+");
        assertThat(header.fieldNames()).toIterable().containsExactlyInAnyOrder("alg", "typ", "cty", "iat", "x5c", "ybroot", "ybsize");
    }

    @Test
    void theSignatureElementIsAFhirSignatureWithTheJwsAsData() {
        TestPki pki = pki(SignatureAlgorithm.SM2);
        String signed = signer(pki, SignatureAlgorithm.SM2).sign(SignedBundles.claimBundle());

        JsonNode element = CanonicalJson.parse(signed).get("signature");

        assertThat(CanonicalJson.toCanonicalString(element.get("type"))).isEqualTo(
                "[{\"code\":\"1.2.840.10065.1.12.1.5\",\"display\":\"Verification Signature\",\"system\":\"urn:iso-astm:E1762-95:2013\"}]");
        assertThat(element.get("when").textValue()).isEqualTo(SIGNING_TIME.toString());
        assertThat(element.get("who").get("display").textValue()).isEqualTo("CN=SM2 Gateway Signing,O=示例医院,C=CN");
        assertThat(element.get("targetFormat").textValue()).isEqualTo("application/fhir+json");
        assertThat(element.get("sigFormat").textValue()).isEqualTo("application/jose");
        assertThat(element.fieldNames()).toIterable().containsExactlyInAnyOrder("type", "when", "who", "targetFormat", "sigFormat", "data");
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void everythingButTheSignatureIsUnchangedAndSigned(SignatureAlgorithm algorithm) {
        TestPki pki = pki(algorithm);
        String original = SignedBundles.claimBundle();

        String signed = signer(pki, algorithm).sign(original);

        ObjectNode withoutSignature = (ObjectNode) CanonicalJson.parse(signed);
        withoutSignature.remove("signature");
        assertThat(CanonicalJson.toCanonicalString(withoutSignature)).isEqualTo(CanonicalJson.canonicalize(original));
        assertThat(BundleSignatureProfile.signedPayload(signed)).isEqualTo(CanonicalJson.canonicalize(original.getBytes(StandardCharsets.UTF_8)));
        assertThat(signed).isEqualTo(CanonicalJson.canonicalize(signed));
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void moneyKeepsItsExactDecimalsInTheSignedBundleAndPayload(SignatureAlgorithm algorithm) {
        TestPki pki = pki(algorithm);

        String signed = signer(pki, algorithm).sign(SignedBundles.claimBundle());
        String payload = new String(BundleSignatureProfile.signedPayload(signed), StandardCharsets.UTF_8);

        for (String text : List.of(signed, payload)) {
            assertThat(text)
                    .contains("\"net\":{\"currency\":\"CNY\",\"value\":1.50}")
                    .contains("\"net\":{\"currency\":\"CNY\",\"value\":0.10}")
                    .contains("\"unitPrice\":{\"currency\":\"CNY\",\"value\":0.10}")
                    .contains("\"total\":{\"currency\":\"CNY\",\"value\":1.60}")
                    .doesNotContain("1.5}").doesNotContain(":0.1}").doesNotContain("1.6}");
        }
        assertThat(verifier(pki).verify(signed).isValid()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void bundlesSignedTogetherShareOneSignatureAndEachVerifiesAlone(SignatureAlgorithm algorithm) {
        TestPki pki = pki(algorithm);
        List<String> signed = signer(pki, algorithm).signAll(claimBundles(11));

        assertThat(signed).hasSize(11);
        assertThat(signed.stream().map(SignedBundles::jws).distinct()).hasSize(1);
        assertThat(SignedBundles.header(signed.get(0)).get("ybsize").longValue()).isEqualTo(11);
        for (int i = 0; i < signed.size(); i++) {
            // a verifier of its own for each: nothing of the others' verification is remembered
            Verification verification = verifier(pki).verify(signed.get(i));
            assertThat(verification.status()).as("Bundle %d: %s", i, verification.message()).isEqualTo(Verification.Status.VALID);
            assertThat(new String(BundleSignatureProfile.signedPayload(signed.get(i)), StandardCharsets.UTF_8))
                    .isEqualTo(CanonicalJson.canonicalize(claimBundles(11).get(i).toString()));
            JsonNode position = CanonicalJson.parse(signed.get(i)).path("signature").path("extension").path(0);
            assertThat(position.path("url").textValue()).isEqualTo(BundleSignatureProfile.TREE_POSITION_EXTENSION);
            assertThat(position.path("extension").path(0).path("valueUnsignedInt").intValue()).isEqualTo(i);
        }
    }

    @Test
    void aBundleSignedTogetherWithOthersIsRefusedIfItsContentOrPlaceChanged() {
        TestPki pki = pki(SignatureAlgorithm.SM2);
        SignatureVerifier verifier = verifier(pki);
        List<String> signed = signer(pki, SignatureAlgorithm.SM2).signAll(claimBundles(5));
        assertThat(verifier.verify(signed.get(3)).isValid()).isTrue();

        String altered = signed.get(3).replace("\"value\":1.50", "\"value\":15.00");
        assertThat(altered).isNotEqualTo(signed.get(3));
        assertThat(verifier.verify(altered).status()).isEqualTo(Verification.Status.CONTENT_ALTERED);

        ObjectNode moved = (ObjectNode) CanonicalJson.parse(signed.get(3));
        ((ObjectNode) moved.path("signature").path("extension").path(0).path("extension").path(0)).put("valueUnsignedInt", 2);
        assertThat(verifier.verify(CanonicalJson.toCanonicalString(moved)).status()).as("another leaf index")
                .isEqualTo(Verification.Status.CONTENT_ALTERED);

        ObjectNode otherPath = (ObjectNode) CanonicalJson.parse(signed.get(3));
        ObjectNode pathPart = (ObjectNode) otherPath.path("signature").path("extension").path(0).path("extension").path(1);
        pathPart.put("valueBase64Binary", CanonicalJson.parse(signed.get(1)).path("signature").path("extension").path(0)
                .path("extension").path(1).path("valueBase64Binary").textValue());
        assertThat(verifier.verify(CanonicalJson.toCanonicalString(otherPath)).status()).as("another leaf's proof")
                .isEqualTo(Verification.Status.CONTENT_ALTERED);

        ObjectNode withoutPlace = (ObjectNode) CanonicalJson.parse(signed.get(3));
        ((ObjectNode) withoutPlace.get("signature")).remove("extension");
        assertThat(verifier.verify(CanonicalJson.toCanonicalString(withoutPlace)).status()).as("no place in the tree")
                .isEqualTo(Verification.Status.CONTENT_ALTERED);

        ObjectNode brokenPath = (ObjectNode) CanonicalJson.parse(signed.get(3));
        ((ObjectNode) brokenPath.path("signature").path("extension").path(0).path("extension").path(1)).put("valueBase64Binary", "AAAA");
        Verification malformed = verifier.verify(CanonicalJson.toCanonicalString(brokenPath));
        assertThat(malformed.status()).isEqualTo(Verification.Status.MALFORMED);
        assertThat(malformed.message()).contains("signature-tree-position").contains("32-byte hashes");
    }

    @Test
    void verifyingATransmissionChecksASharedSignatureOnceAndEachBundlesContent() {
        TestPki pki = pki(SignatureAlgorithm.ES256);
        List<String> signed = signer(pki, SignatureAlgorithm.ES256).signAll(claimBundles(4));
        byte[] raw = SignedBundles.rawSignature(signed.get(1));
        raw[10] ^= 1;
        String forged = SignedBundles.withJws(signed.get(1), SignedBundles.encodedHeader(signed.get(1)) + ".."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        String altered = signed.get(3).replace("\"value\":1.50", "\"value\":15.00");

        SignatureVerifier.Transmission transmission = verifier(pki).transmission();
        List<Verification> verifications = List.of(signed.get(0), forged, signed.get(2), altered, forged, signed.get(1)).stream()
                .map(transmission::verify).toList();

        assertThat(verifications).extracting(Verification::status).containsExactly(Verification.Status.VALID,
                Verification.Status.WRONG_KEY, Verification.Status.VALID, Verification.Status.CONTENT_ALTERED,
                Verification.Status.WRONG_KEY, Verification.Status.VALID);
        assertThat(verifications.get(2).bundle()).as("the verified Bundle, as read").contains((ObjectNode) CanonicalJson.parse(signed.get(2)));
        assertThat(verifications.get(3).bundle()).as("nothing of a Bundle that failed").isEmpty();
    }

    @Test
    void signingNothingIsRefused() {
        TestPki pki = pki(SignatureAlgorithm.ES256);
        assertThatThrownBy(() -> signer(pki, SignatureAlgorithm.ES256).signAll(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    /** Claim Bundles that differ in a patient's name. */
    private static List<ObjectNode> claimBundles(int count) {
        List<ObjectNode> bundles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bundles.add((ObjectNode) CanonicalJson.parse(SignedBundles.claimBundle().replace("张三", "患者" + i)));
        }
        return bundles;
    }

    @Test
    void signingAgainReplacesTheSignature() {
        TestPki pki = pki(SignatureAlgorithm.ES256);
        BundleSigner signer = signer(pki, SignatureAlgorithm.ES256);

        String signedTwice = signer.sign(signer.sign(SignedBundles.claimBundle()));

        assertThat(verifier(pki).verify(signedTwice).isValid()).isTrue();
        assertThat(new String(BundleSignatureProfile.signedPayload(signedTwice), StandardCharsets.UTF_8))
                .isEqualTo(CanonicalJson.canonicalize(SignedBundles.claimBundle()));
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void oneSignerServesManyThreads(SignatureAlgorithm algorithm) throws Exception {
        TestPki pki = pki(algorithm);
        BundleSigner signer = signer(pki, algorithm);
        SignatureVerifier verifier = verifier(pki);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String bundle = SignedBundles.claimBundle().replace("张三", "患者" + i);
                results.add(pool.submit(() -> signer.sign(bundle)));
            }
            for (Future<String> result : results) {
                Verification verification = verifier.verify(result.get());
                assertThat(verification.status()).as(verification.message()).isEqualTo(Verification.Status.VALID);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSignerRefusesAKeyOfTheOtherAlgorithm() {
        TestPki sm2 = pki(SignatureAlgorithm.SM2);
        assertThatThrownBy(() -> new BundleSigner(sm2.signing, SignatureAlgorithm.ES256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a EC_P256 key");
    }

    @Test
    void theSignerRefusesAKeyThatIsNotTheCertificates() {
        TestPki one = pki(SignatureAlgorithm.ES256);
        TestPki other = pki(SignatureAlgorithm.ES256);
        var mixed = new io.yibao.certs.Credentials(other.signing.privateKey(), one.signing.chain());
        assertThatThrownBy(() -> new BundleSigner(mixed, SignatureAlgorithm.ES256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void theSignerRefusesACertificateWithoutDigitalSignatureUsage() {
        TestPki pki = TestPki.withLeafThatMayNotSign(io.yibao.certs.KeyAlgorithm.SM2);
        assertThatThrownBy(() -> new BundleSigner(pki.signing, SignatureAlgorithm.SM2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("digitalSignature");
    }

    @Test
    void theSignerRefusesDocumentsThatAreNotBundles() {
        TestPki pki = pki(SignatureAlgorithm.ES256);
        BundleSigner signer = signer(pki, SignatureAlgorithm.ES256);
        assertThatThrownBy(() -> signer.sign("{\"resourceType\":\"Patient\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("{\"resourceType\":\"Bundle\",\"a\":1,\"a\":2}")).isInstanceOf(InvalidJsonException.class);
    }
}
