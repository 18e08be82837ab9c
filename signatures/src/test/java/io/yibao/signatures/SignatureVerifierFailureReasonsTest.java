package io.yibao.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yibao.certs.KeyAlgorithm;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignatureVerifierFailureReasonsTest {

    private static String sign(TestPki pki, SignatureAlgorithm algorithm, Instant at) {
        return new BundleSigner(pki.signing, algorithm, Clock.fixed(at, ZoneOffset.UTC)).sign(SignedBundles.claimBundle());
    }

    private static String sign(TestPki pki, SignatureAlgorithm algorithm) {
        return sign(pki, algorithm, Instant.now());
    }

    private static Verification verify(TestPki trusted, String signedBundle) {
        return new SignatureVerifier(List.of(trusted.root), Clock.systemUTC()).verify(signedBundle);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aChangedNameIsContentAltered(SignatureAlgorithm algorithm) {
        TestPki pki = TestPki.create(algorithm.keyAlgorithm());
        String signed = sign(pki, algorithm);

        Verification verification = verify(pki, signed.replace("张三", "张四"));

        assertThat(verification.status()).isEqualTo(Verification.Status.CONTENT_ALTERED);
        assertThat(verification.message()).contains("changed after signing").doesNotContain("张");
        assertThat(verification.signerCertificate()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aChangedAmountIsContentAlteredEvenWhenOnlyItsScaleChanges(SignatureAlgorithm algorithm) {
        TestPki pki = TestPki.create(algorithm.keyAlgorithm());
        String signed = sign(pki, algorithm);
        assertThat(signed).contains("\"value\":1.50}");

        assertThat(verify(pki, signed.replace("\"value\":1.50}", "\"value\":1.51}")).status())
                .isEqualTo(Verification.Status.CONTENT_ALTERED);
        assertThat(verify(pki, signed.replace("\"value\":1.50}", "\"value\":1.5}")).status())
                .isEqualTo(Verification.Status.CONTENT_ALTERED);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void reformattingTheSignedBundleKeepsItValid(SignatureAlgorithm algorithm) throws Exception {
        TestPki pki = TestPki.create(algorithm.keyAlgorithm());
        String signed = sign(pki, algorithm);

        String reformatted = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(CanonicalJson.parse(signed));
        assertThat(reformatted).contains("\"value\" : 1.50");

        assertThat(verify(pki, reformatted).status()).isEqualTo(Verification.Status.VALID);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aSignatureByAnotherKeyIsWrongKey(SignatureAlgorithm algorithm) {
        TestPki pki = TestPki.create(algorithm.keyAlgorithm());
        TestPki other = TestPki.create(algorithm.keyAlgorithm());
        String signed = sign(pki, algorithm);
        String byOther = sign(other, algorithm);
        String[] ours = SignedBundles.jws(signed).split("\\.", -1);
        String[] theirs = SignedBundles.jws(byOther).split("\\.", -1);

        Verification verification = verify(pki, SignedBundles.withJws(signed, ours[0] + ".." + theirs[2]));

        assertThat(verification.status()).isEqualTo(Verification.Status.WRONG_KEY);
        assertThat(verification.message()).contains("content matches the signed tree root");
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aChainToAnUnknownRootIsUntrusted(SignatureAlgorithm algorithm) {
        TestPki pki = TestPki.create(algorithm.keyAlgorithm());
        TestPki stranger = TestPki.create(algorithm.keyAlgorithm());

        Verification verification = verify(stranger, sign(pki, algorithm));

        assertThat(verification.status()).isEqualTo(Verification.Status.UNTRUSTED_CERTIFICATE);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void anExpiredLeafIsExpiredAndNamedWithItsEnd(SignatureAlgorithm algorithm) {
        Instant notAfter = Instant.now().minus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        TestPki pki = TestPki.withLeafValidity(algorithm.keyAlgorithm(), notAfter.minus(Duration.ofDays(30)), notAfter);
        String signed = sign(pki, algorithm, notAfter.minus(Duration.ofDays(1)));

        Verification verification = verify(pki, signed);

        assertThat(verification.status()).isEqualTo(Verification.Status.EXPIRED_CERTIFICATE);
        assertThat(verification.message()).contains("Gateway Signing").contains("expired at " + notAfter);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aLeafNotValidYetIsNotYetValid(SignatureAlgorithm algorithm) {
        Instant notBefore = Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        TestPki pki = TestPki.withLeafValidity(algorithm.keyAlgorithm(), notBefore, notBefore.plus(Duration.ofDays(30)));

        Verification verification = verify(pki, sign(pki, algorithm));

        assertThat(verification.status()).isEqualTo(Verification.Status.NOT_YET_VALID);
        assertThat(verification.message()).contains("Gateway Signing").contains("not valid before " + notBefore);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void anExpiredLeafFromAnUnknownRootIsStillUntrusted(SignatureAlgorithm algorithm) {
        Instant notAfter = Instant.now().minus(Duration.ofDays(2));
        TestPki pki = TestPki.withLeafValidity(algorithm.keyAlgorithm(), notAfter.minus(Duration.ofDays(30)), notAfter);
        TestPki stranger = TestPki.create(algorithm.keyAlgorithm());

        assertThat(verify(stranger, sign(pki, algorithm)).status()).isEqualTo(Verification.Status.UNTRUSTED_CERTIFICATE);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void anUnknownAlgorithmIsUnsupported(SignatureAlgorithm algorithm) {
        TestPki pki = TestPki.create(algorithm.keyAlgorithm());
        String signed = sign(pki, algorithm);

        for (String alg : List.of("HS256", "none", "ES384", "RS256", "SM2")) {
            Verification verification = verify(pki, SignedBundles.withHeaderParameter(signed, "alg", alg));
            assertThat(verification.status()).as(alg).isEqualTo(Verification.Status.UNSUPPORTED_ALGORITHM);
            assertThat(verification.message()).contains(alg);
        }
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aHeaderNamingTheOtherAlgorithmIsRejected(SignatureAlgorithm algorithm) {
        TestPki pki = TestPki.create(algorithm.keyAlgorithm());
        SignatureAlgorithm otherAlgorithm = algorithm == SignatureAlgorithm.ES256 ? SignatureAlgorithm.SM2 : SignatureAlgorithm.ES256;

        Verification verification = verify(pki, SignedBundles.withHeaderParameter(sign(pki, algorithm), "alg", otherAlgorithm.jwsName()));

        assertThat(verification.status()).isEqualTo(Verification.Status.WRONG_KEY);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aTamperedHeaderNoLongerVerifies(SignatureAlgorithm algorithm) {
        TestPki pki = TestPki.create(algorithm.keyAlgorithm());

        Verification verification = verify(pki, SignedBundles.withHeaderParameter(sign(pki, algorithm), "cty", "text/plain"));

        assertThat(verification.status()).isEqualTo(Verification.Status.WRONG_KEY);
    }

    @org.junit.jupiter.api.Test
    void aBundleWithoutSignatureIsUnsigned() {
        TestPki pki = TestPki.create(KeyAlgorithm.EC_P256);

        assertThat(verify(pki, SignedBundles.claimBundle()).status()).isEqualTo(Verification.Status.UNSIGNED);
        assertThat(verify(pki, "{\"resourceType\":\"Bundle\",\"signature\":{\"who\":{\"display\":\"x\"}}}").status())
                .isEqualTo(Verification.Status.UNSIGNED);
        assertThat(verify(pki, "{\"resourceType\":\"Bundle\",\"signature\":\"abc\"}").status())
                .isEqualTo(Verification.Status.UNSIGNED);
        assertThat(verify(pki, "{\"resourceType\":\"Bundle\",\"signature\":{\"sigFormat\":\"application/pkcs7-signature\",\"data\":\"AAAA\"}}").status())
                .isEqualTo(Verification.Status.UNSIGNED);
    }

    @org.junit.jupiter.api.Test
    void base64DataWrappedInLinesVerifies() {
        TestPki pki = TestPki.create(KeyAlgorithm.SM2);
        ObjectNode bundle = (ObjectNode) CanonicalJson.parse(sign(pki, SignatureAlgorithm.SM2));
        String data = bundle.get("signature").get("data").textValue();
        ((ObjectNode) bundle.get("signature")).put("data", String.join("\r\n", data.split("(?<=\\G.{76})")) + "\n");

        assertThat(verify(pki, CanonicalJson.toCanonicalString(bundle)).status()).isEqualTo(Verification.Status.VALID);
    }

    @org.junit.jupiter.api.Test
    void brokenJwsIsMalformed() {
        TestPki pki = TestPki.create(KeyAlgorithm.SM2);
        String signed = sign(pki, SignatureAlgorithm.SM2);
        String jws = SignedBundles.jws(signed);
        String[] parts = jws.split("\\.", -1);

        assertThat(verify(pki, SignedBundles.withJws(signed, "not a jws")).status()).isEqualTo(Verification.Status.MALFORMED);
        assertThat(verify(pki, SignedBundles.withJws(signed, parts[0] + ".e30." + parts[2])).status())
                .as("attached payload").isEqualTo(Verification.Status.MALFORMED);
        assertThat(verify(pki, SignedBundles.withJws(signed, "bm90IGpzb24.." + parts[2])).status())
                .as("header not JSON").isEqualTo(Verification.Status.MALFORMED);
        assertThat(verify(pki, SignedBundles.withJws(signed, parts[0] + "..AAAA")).status())
                .as("short signature").isEqualTo(Verification.Status.MALFORMED);
        assertThat(verify(pki, SignedBundles.withJws(signed, ".." + parts[2])).status()).as("no header").isEqualTo(Verification.Status.MALFORMED);
        assertThat(verify(pki, SignedBundles.withJws(signed, parts[0] + "..")).status()).as("no signature").isEqualTo(Verification.Status.MALFORMED);
        assertThat(verify(pki, SignedBundles.withJws(signed, jws + "..AAAA")).status()).as("a third part").isEqualTo(Verification.Status.MALFORMED);
        assertThat(verify(pki, SignedBundles.withJws(signed, parts[0] + "..=" + parts[2])).status())
                .as("a character outside base64url").isEqualTo(Verification.Status.MALFORMED);
        assertThat(verify(pki, SignedBundles.withHeaderParameter(signed, "x5c", "MIIB")).status())
                .as("x5c not a list").isEqualTo(Verification.Status.MALFORMED);
        assertThat(verify(pki, SignedBundles.withHeaderParameter(signed, "b64", "false")).status())
                .as("b64").isEqualTo(Verification.Status.MALFORMED);
        ObjectNode bundle = (ObjectNode) CanonicalJson.parse(signed);
        ((ObjectNode) bundle.get("signature")).put("data", "%%%");
        assertThat(verify(pki, CanonicalJson.toCanonicalString(bundle)).status()).isEqualTo(Verification.Status.MALFORMED);
        assertThat(verify(pki, "not json").status()).isEqualTo(Verification.Status.MALFORMED);
        assertThat(verify(pki, "{\"resourceType\":\"Patient\"}").status()).isEqualTo(Verification.Status.MALFORMED);
    }
}
