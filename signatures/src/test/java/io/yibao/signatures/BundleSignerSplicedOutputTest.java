package io.yibao.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BundleSigner#sign} writes the Bundle once and splices {@code signature} into that text; its
 * output must be byte for byte what writing the whole signed tree again gives (the way it was
 * written before), wherever {@code signature} sorts. The signature value itself is random (ECDSA and
 * SM2 draw a fresh nonce), so the expected text is built from the signature element of the output.
 *
 * <p>{@code signature} can never sort first in a Bundle: {@code resourceType} is required and sorts
 * before it. The first position is covered by {@link CanonicalObjectTest}.
 */
class BundleSignerSplicedOutputTest {
    private static final Instant SIGNING_TIME = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);

    static Stream<Arguments> bundles() {
        String claim = SignedBundles.claimBundle();
        String onlyResourceType = "{\"resourceType\":\"Bundle\"}";
        String allMembersBeforeSignature = """
                {"resourceType":"Bundle","meta":{"profile":["p"]},"id":"b-1",
                 "identifier":{"value":"1.50"},"entry":[{"resource":{"resourceType":"Claim","total":{"value":12.50}}}]}""";
        String someMembersAfterSignatureOnly = """
                {"type":"message","timestamp":"2026-11-20T08:30:00+08:00","resourceType":"Bundle"}""";
        String alreadySigned = "{\"resourceType\":\"Bundle\",\"type\":\"message\",\"signature\":{\"data\":\"b2xk\",\"when\":\"2000-01-01T00:00:00Z\"}}";
        return Stream.of(SignatureAlgorithm.values()).flatMap(algorithm -> Stream.of(
                Arguments.of(algorithm, "middle: the claim message Bundle", claim),
                Arguments.of(algorithm, "last, after the only member resourceType", onlyResourceType),
                Arguments.of(algorithm, "last, after entry, id, identifier, meta, resourceType", allMembersBeforeSignature),
                Arguments.of(algorithm, "between resourceType and timestamp, type", someMembersAfterSignatureOnly),
                Arguments.of(algorithm, "replacing an existing signature", alreadySigned)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("bundles")
    void theOutputIsTheFullCanonicalWriteOfTheSignedBundle(SignatureAlgorithm algorithm, String where, String bundleJson) {
        TestPki pki = TestPki.create(algorithm.keyAlgorithm());
        BundleSigner signer = new BundleSigner(pki.signing, algorithm, Clock.fixed(SIGNING_TIME, ZoneOffset.UTC));

        String signed = signer.sign(bundleJson);

        ObjectNode expected = (ObjectNode) CanonicalJson.parse(bundleJson);
        expected.remove(BundleSignatureProfile.SIGNATURE_ELEMENT);
        expected.set(BundleSignatureProfile.SIGNATURE_ELEMENT, CanonicalJson.parse(signed).get(BundleSignatureProfile.SIGNATURE_ELEMENT));
        assertThat(signed).as(where).isEqualTo(CanonicalJson.toCanonicalString(expected));
        Verification verification = new SignatureVerifier(List.of(pki.root), Clock.systemUTC()).verify(signed);
        assertThat(verification.status()).as(verification.message()).isEqualTo(Verification.Status.VALID);
        assertThat(verification.signedAt()).contains(SIGNING_TIME);
    }
}
