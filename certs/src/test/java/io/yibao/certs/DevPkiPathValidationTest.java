package io.yibao.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Java PKIX path validation (Bouncy Castle provider) of the development chains. */
class DevPkiPathValidationTest {

    @TempDir
    static Path pki;

    @TempDir
    static Path otherPki;

    @BeforeAll
    static void createPkis() throws Exception {
        DevPki.init(pki);
        DevPki.init(otherPki);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.yibao.certs.DevPkiFixture#everyLeaf")
    void everyLeafChainValidatesToItsRoot(KeyAlgorithm algorithm, String leaf) throws Exception {
        List<X509Certificate> chain = chain(pki, algorithm, leaf);

        validate(chain, DevPki.rootCertificate(pki, algorithm));

        assertThat(chain.get(0).getSigAlgName()).isEqualToIgnoringCase(algorithm.certificateSignatureAlgorithm());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.yibao.certs.DevPkiFixture#everyLeaf")
    void noLeafValidatesToTheOtherHierarchysRoot(KeyAlgorithm algorithm, String leaf) throws Exception {
        KeyAlgorithm other = algorithm == KeyAlgorithm.EC_P256 ? KeyAlgorithm.SM2 : KeyAlgorithm.EC_P256;

        assertThatThrownBy(() -> validate(chain(pki, algorithm, leaf), DevPki.rootCertificate(pki, other)))
                .isInstanceOf(CertPathValidatorException.class);
    }

    /** Same names, different keys: only the signatures tell the two PKIs apart. */
    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aLeafDoesNotValidateToTheRootOfAnotherInit(KeyAlgorithm algorithm) throws Exception {
        X509Certificate foreignRoot = DevPki.rootCertificate(otherPki, algorithm);
        assertThat(foreignRoot.getSubjectX500Principal())
                .isEqualTo(DevPki.rootCertificate(pki, algorithm).getSubjectX500Principal());

        assertThatThrownBy(() -> validate(chain(pki, algorithm, DevPki.GATEWAY_TLS), foreignRoot))
                .isInstanceOf(CertPathValidatorException.class);
    }

    /** GM/T 0009 §10: without an agreed id, SM2 signatures use the user id 1234567812345678. */
    @Test
    void sm2CertificatesAreSignedWithTheGmt0009DefaultUserId() throws Exception {
        X509Certificate root = DevPki.rootCertificate(pki, KeyAlgorithm.SM2);
        List<X509Certificate> chain = chain(pki, KeyAlgorithm.SM2, DevPki.GATEWAY_TLS);

        assertThat(verifiesWithSm2Id(root, root, "1234567812345678")).isTrue();
        assertThat(verifiesWithSm2Id(chain.get(1), root, "1234567812345678")).isTrue();
        assertThat(verifiesWithSm2Id(chain.get(0), chain.get(1), "1234567812345678")).isTrue();
        assertThat(verifiesWithSm2Id(chain.get(0), chain.get(1), "")).isFalse();
    }

    @Test
    void sm2CertificatesUseTheGmAlgorithmIdentifiers() throws Exception {
        X509Certificate leaf = chain(pki, KeyAlgorithm.SM2, DevPki.GATEWAY_TLS).get(0);
        org.bouncycastle.asn1.x509.Certificate structure =
                org.bouncycastle.asn1.x509.Certificate.getInstance(leaf.getEncoded());

        assertThat(leaf.getSigAlgOID()).isEqualTo("1.2.156.10197.1.501");
        assertThat(structure.getSignatureAlgorithm().getParameters()).isNull();
        assertThat(structure.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId())
                .isEqualTo("1.2.840.10045.2.1");
        assertThat(structure.getSubjectPublicKeyInfo().getAlgorithm().getParameters().toString())
                .isEqualTo("1.2.156.10197.1.301");
    }

    private static boolean verifiesWithSm2Id(X509Certificate certificate, X509Certificate issuer, String id)
            throws Exception {
        Signature signature = Signature.getInstance("SM3withSM2", BouncyCastle.provider());
        signature.setParameter(new SM2ParameterSpec(id.getBytes(StandardCharsets.US_ASCII)));
        signature.initVerify(issuer.getPublicKey());
        signature.update(certificate.getTBSCertificate());
        return signature.verify(certificate.getSignature());
    }

    static List<X509Certificate> chain(Path pki, KeyAlgorithm algorithm, String leaf) throws Exception {
        return Credentials.readCertificates(DevPki.hierarchyDirectory(pki, algorithm).resolve(leaf + ".chain.pem"));
    }

    static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
        validate(chain, root, new Date());
    }

    static void validate(List<X509Certificate> chain, X509Certificate root, Date at) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(at);
        CertificateFactory factory = CertificateFactory.getInstance("X.509", BouncyCastle.provider());
        CertPathValidator.getInstance("PKIX", BouncyCastle.provider())
                .validate(factory.generateCertPath(chain), parameters);
    }
}
