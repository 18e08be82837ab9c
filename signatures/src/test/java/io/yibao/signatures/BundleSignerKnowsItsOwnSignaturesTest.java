package io.yibao.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link BundleSigner#signedWithThisCertificate}: by the x5c leaf, never fooled into an exception by bad input. */
class BundleSignerKnowsItsOwnSignaturesTest {

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void tellsItsOwnSignaturesFromAnotherCertificatesAndFromUnsignedOrBrokenInput(SignatureAlgorithm algorithm) {
        BundleSigner signer = new BundleSigner(TestPki.create(algorithm.keyAlgorithm()).signing, algorithm);
        BundleSigner other = new BundleSigner(TestPki.create(algorithm.keyAlgorithm()).signing, algorithm);
        String bundle = SignedBundles.claimBundle();

        assertThat(signer.signedWithThisCertificate(signer.sign(bundle))).isTrue();
        assertThat(signer.signedWithThisCertificate(other.sign(bundle))).isFalse();
        assertThat(signer.signedWithThisCertificate(signer.sign(other.sign(bundle)))).as("signed again: the signature replaced").isTrue();
        assertThat(signer.signedWithThisCertificate(bundle)).as("unsigned").isFalse();
        assertThat(signer.signedWithThisCertificate("{\"resourceType\":\"Bundle\",\"signature\":{\"data\":\"%%%\"}}")).isFalse();
        assertThat(signer.signedWithThisCertificate("not json")).isFalse();
    }
}
