package io.yibao.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.certs.CertificateRevocation;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A verifier given the PKI's CRLs refuses a signature whose chain holds a revoked certificate, the leaf or the CA above
 * it, also when it remembered that chain as valid before; the other hierarchy's signer and a verifier without CRLs are
 * unaffected. Real development PKI, both algorithms.
 */
class SignatureVerifierRevocationTest {

    @TempDir
    Path dir;

    private Path pki;

    @BeforeEach
    void createPki() throws Exception {
        pki = dir.resolve("pki");
        DevPki.init(pki);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aSignatureByARevokedCertificateIsRefusedEvenWhenItsChainWasRememberedAsValid(SignatureAlgorithm algorithm) throws Exception {
        SignatureVerifier verifier = verifierWithCrls();
        String signed = signedBy(algorithm.keyAlgorithm());
        String byOtherHierarchy = signedBy(other(algorithm).keyAlgorithm());
        assertThat(verifier.verify(signed).status()).isEqualTo(Verification.Status.VALID);

        DevPki.Revocation revocation = DevPki.revoke(pki, algorithm.keyAlgorithm(), DevPki.GATEWAY_SIGNING, CRLReason.KEY_COMPROMISE);

        Verification refused = verifier.verify(signed);
        assertThat(refused.status()).isEqualTo(Verification.Status.REVOKED_CERTIFICATE);
        assertThat(refused.message())
                .startsWith("The signer's certificate (serial " + revocation.serialNumber().toString(16).toUpperCase())
                .contains("was revoked on " + revocation.revocationDate()).contains("KEY_COMPROMISE")
                .contains("the signature claims ");
        assertThat(refused.signerCertificate()).isEmpty();
        assertThat(verifier.verify(byOtherHierarchy).status()).isEqualTo(Verification.Status.VALID);
        assertThat(new SignatureVerifier(roots(), Clock.systemUTC()).verify(signed).status())
                .as("a verifier given no CRLs checks no revocation").isEqualTo(Verification.Status.VALID);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aRevokedIntermediateRevokesTheSignaturesOfItsLeaves(SignatureAlgorithm algorithm) throws Exception {
        SignatureVerifier verifier = verifierWithCrls();
        String signed = signedBy(algorithm.keyAlgorithm());

        DevPki.revoke(pki, algorithm.keyAlgorithm(), DevPki.INTERMEDIATE, CRLReason.CA_COMPROMISE);

        Verification refused = verifier.verify(signed);
        assertThat(refused.status()).isEqualTo(Verification.Status.REVOKED_CERTIFICATE);
        assertThat(refused.message()).startsWith("A CA certificate in the chain of the signer's certificate").contains("CA_COMPROMISE");
    }

    private SignatureVerifier verifierWithCrls() throws Exception {
        return new SignatureVerifier(roots(), Clock.systemUTC(), new CertificateRevocation(List.of(), pki, Duration.ZERO, Clock.systemUTC()));
    }

    private List<X509Certificate> roots() throws Exception {
        return List.of(DevPki.rootCertificate(pki, KeyAlgorithm.EC_P256), DevPki.rootCertificate(pki, KeyAlgorithm.SM2));
    }

    private String signedBy(KeyAlgorithm hierarchy) throws Exception {
        SignatureAlgorithm algorithm = hierarchy == KeyAlgorithm.SM2 ? SignatureAlgorithm.SM2 : SignatureAlgorithm.ES256;
        return new BundleSigner(DevPki.credentials(pki, hierarchy, DevPki.GATEWAY_SIGNING), algorithm).sign(SignedBundles.claimBundle());
    }

    private static SignatureAlgorithm other(SignatureAlgorithm algorithm) {
        return algorithm == SignatureAlgorithm.ES256 ? SignatureAlgorithm.SM2 : SignatureAlgorithm.ES256;
    }
}
