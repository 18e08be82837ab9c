package io.yibao.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The X.509v3 profile of the development certificates: extensions, names, serials and validity. */
class DevPkiCertificateProfileTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");

    @TempDir
    static Path pki;

    @BeforeAll
    static void createPki() throws Exception {
        DevPki.init(pki, DevPki.Options.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void caCertificatesHaveCriticalBasicConstraintsWithPathLengthAndCertSignKeyUsage(KeyAlgorithm algorithm)
            throws Exception {
        X509Certificate root = certificate(algorithm, "root");
        X509Certificate intermediate = certificate(algorithm, "intermediate");

        assertThat(root.getBasicConstraints()).isEqualTo(1);
        assertThat(intermediate.getBasicConstraints()).isZero();
        for (X509Certificate ca : List.of(root, intermediate)) {
            assertThat(ca.getCriticalExtensionOIDs())
                    .containsExactlyInAnyOrder(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
            // keyCertSign (5) and cRLSign (6) only
            assertThat(ca.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
            assertThat(ca.getExtendedKeyUsage()).isNull();
        }
        assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
        assertThat(intermediate.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.yibao.certs.DevPkiFixture#everyLeaf")
    void keyIdentifiersLinkEveryCertificateToItsIssuer(KeyAlgorithm algorithm, String leaf) throws Exception {
        X509CertificateHolder root = holder(certificate(algorithm, "root"));
        X509CertificateHolder intermediate = holder(certificate(algorithm, "intermediate"));
        X509CertificateHolder end = holder(certificate(algorithm, leaf));

        assertThat(authorityKeyId(root)).isEqualTo(subjectKeyId(root));
        assertThat(authorityKeyId(intermediate)).isEqualTo(subjectKeyId(root));
        assertThat(authorityKeyId(end)).isEqualTo(subjectKeyId(intermediate));
        assertThat(subjectKeyId(end)).hasSize(20);
        assertThat(AuthorityKeyIdentifier.fromExtensions(end.getExtensions()).getAuthorityCertIssuer()).isNull();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.yibao.certs.DevPkiFixture#everyLeaf")
    void leavesAreCriticallyNotCasWithCriticalKeyUsage(KeyAlgorithm algorithm, String leaf) throws Exception {
        X509Certificate certificate = certificate(algorithm, leaf);

        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getCriticalExtensionOIDs())
                .containsExactlyInAnyOrder(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(certificate.getKeyUsage()[5]).as("keyCertSign").isFalse();
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void leafProfilesMatchTheirPurpose(KeyAlgorithm algorithm) throws Exception {
        String serverAuth = KeyPurposeId.id_kp_serverAuth.getId();
        String clientAuth = KeyPurposeId.id_kp_clientAuth.getId();

        X509Certificate gatewayTls = certificate(algorithm, DevPki.GATEWAY_TLS);
        assertThat(gatewayTls.getExtendedKeyUsage()).containsExactly(serverAuth, clientAuth);
        assertThat(gatewayTls.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));

        X509Certificate platformTls = certificate(algorithm, DevPki.PLATFORM_TLS);
        assertThat(platformTls.getExtendedKeyUsage()).containsExactly(serverAuth, clientAuth);
        assertThat(platformTls.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));

        X509Certificate brokerTls = certificate(algorithm, DevPki.BROKER_TLS);
        assertThat(brokerTls.getExtendedKeyUsage()).containsExactly(serverAuth, clientAuth);
        assertThat(brokerTls.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, "localhost"),
                List.of(2, "artemis-primary"), List.of(2, "artemis-backup"), List.of(7, "127.0.0.1"));

        X509Certificate signing = certificate(algorithm, DevPki.GATEWAY_SIGNING);
        assertThat(signing.getKeyUsage()).containsExactly(true, true, false, false, false, false, false, false, false);
        assertThat(signing.getExtendedKeyUsage())
                .containsExactly(KeyPurposeId.id_kp_documentSigning.getId())
                .doesNotContain(serverAuth, clientAuth);
        assertThat(signing.getSubjectAlternativeNames()).isNull();

        for (Institution institution : Institution.SYNTHETIC) {
            X509Certificate client = certificate(algorithm, DevPki.clientLeafName(institution.code()));
            assertThat(client.getExtendedKeyUsage()).containsExactly(clientAuth);
            // Bouncy Castle prints names in encoding order
            assertThat(holder(client).getSubject().toString()).isEqualTo("C=CN,O=" + institution.name()
                    + ",OU=" + institution.kind().organizationalUnit() + ",CN=" + institution.code());
        }
    }

    @org.junit.jupiter.api.Test
    void hospitalsAndPharmaciesHaveAnSm2EnvelopeSigningLeafAndNothingElseDoes() throws Exception {
        for (Institution institution : Institution.SYNTHETIC) {
            String leaf = DevPki.envelopeSigningLeafName(institution.code());
            boolean signsEnvelopes = institution.kind() == Institution.Kind.HOSPITAL || institution.kind() == Institution.Kind.PHARMACY;
            assertThat(DevPki.hierarchyDirectory(pki, KeyAlgorithm.EC_P256).resolve(leaf + ".pem")).as("EC " + leaf).doesNotExist();
            if (!signsEnvelopes) {
                assertThat(DevPki.hierarchyDirectory(pki, KeyAlgorithm.SM2).resolve(leaf + ".pem")).as(leaf).doesNotExist();
                continue;
            }
            X509Certificate envelope = certificate(KeyAlgorithm.SM2, leaf);
            assertThat(KeyAlgorithm.of(envelope.getPublicKey())).contains(KeyAlgorithm.SM2);
            assertThat(envelope.getKeyUsage()).containsExactly(true, true, false, false, false, false, false, false, false);
            assertThat(envelope.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_documentSigning.getId());
            assertThat(holder(envelope).getSubject().toString()).isEqualTo("C=CN,O=" + institution.name()
                    + ",OU=" + institution.kind().organizationalUnit() + ",CN=" + institution.code());
            assertThat(holder(envelope).getIssuer()).isEqualTo(holder(certificate(KeyAlgorithm.SM2, "intermediate")).getSubject());
            assertThat(DevPki.credentials(pki, KeyAlgorithm.SM2, leaf).chain()).hasSize(2);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.yibao.certs.DevPkiFixture#everyLeaf")
    void serialsAreRandomPositive128BitNumbers(KeyAlgorithm algorithm, String leaf) throws Exception {
        BigInteger serial = certificate(algorithm, leaf).getSerialNumber();

        assertThat(serial.signum()).isPositive();
        assertThat(serial.bitLength()).isLessThanOrEqualTo(128).isGreaterThan(64);
        assertThat(serial).isNotEqualTo(certificate(algorithm, "intermediate").getSerialNumber());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void validityIsTenYearsFiveYearsAnd397DaysFromTheClock(KeyAlgorithm algorithm) throws Exception {
        ZonedDateTime start = NOW.atZone(ZoneOffset.UTC);

        assertValidity(certificate(algorithm, "root"), NOW, start.plusYears(10).toInstant());
        assertValidity(certificate(algorithm, "intermediate"), NOW, start.plusYears(5).toInstant());
        for (String leaf : DevPkiFixture.defaultLeafNames()) {
            assertValidity(certificate(algorithm, leaf), NOW, start.plusDays(397).toInstant());
        }
    }

    private static void assertValidity(X509Certificate certificate, Instant notBefore, Instant notAfter) {
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(notBefore);
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(notAfter);
    }

    private static X509Certificate certificate(KeyAlgorithm algorithm, String name) throws Exception {
        return Credentials.readCertificates(DevPki.hierarchyDirectory(pki, algorithm).resolve(name + ".pem")).get(0);
    }

    private static X509CertificateHolder holder(X509Certificate certificate) throws Exception {
        return new JcaX509CertificateHolder(certificate);
    }

    private static byte[] subjectKeyId(X509CertificateHolder certificate) {
        return SubjectKeyIdentifier.fromExtensions(certificate.getExtensions()).getKeyIdentifier();
    }

    private static byte[] authorityKeyId(X509CertificateHolder certificate) {
        return AuthorityKeyIdentifier.fromExtensions(certificate.getExtensions()).getKeyIdentifier();
    }
}
