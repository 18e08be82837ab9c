package io.yibao.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link BundleSigner#signsLikeThis}: by the x5c leaf and the profile, never fooled into an exception by bad input. */
class BundleSignerKnowsItsOwnSignaturesTest {

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void tellsItsOwnSignaturesFromAnotherCertificatesAndFromUnsignedOrBrokenInput(SignatureAlgorithm algorithm) {
        BundleSigner signer = new BundleSigner(TestPki.create(algorithm.keyAlgorithm()).signing, algorithm);
        BundleSigner other = new BundleSigner(TestPki.create(algorithm.keyAlgorithm()).signing, algorithm);
        String bundle = SignedBundles.claimBundle();

        assertThat(signer.signsLikeThis(signer.sign(bundle))).isTrue();
        assertThat(signer.signsLikeThis(other.sign(bundle))).isFalse();
        assertThat(signer.signsLikeThis(signer.sign(other.sign(bundle)))).as("signed again: the signature replaced").isTrue();
        assertThat(signer.signsLikeThis(bundle)).as("unsigned").isFalse();
        assertThat(signer.signsLikeThis("{\"resourceType\":\"Bundle\",\"signature\":{\"data\":\"%%%\"}}")).isFalse();
        assertThat(signer.signsLikeThis("not json")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aSignatureOfThePayloadDigestProfileIsNotLikeThisSignersAlthoughItsCertificateIs(SignatureAlgorithm algorithm) {
        BundleSigner signer = new BundleSigner(TestPki.create(algorithm.keyAlgorithm()).signing, algorithm);
        String signed = signer.sign(SignedBundles.claimBundle());
        // The header an earlier gateway wrote: ybdig (the payload's digest) where ybroot and ybsize are now.
        ObjectNode header = (ObjectNode) SignedBundles.header(signed);
        header.put("ybdig", header.remove("ybroot").textValue());
        header.remove("ybsize");
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(CanonicalJson.toCanonicalBytes(header));
        String earlier = SignedBundles.withJws(signed, encoded + ".." + SignedBundles.jws(signed).split("\\.", -1)[2]);

        assertThat(signer.signsLikeThis(signed)).isTrue();
        assertThat(signer.signsLikeThis(earlier)).isFalse();
    }
}
