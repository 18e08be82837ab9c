package io.yibao.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The CRLs of the development PKI: empty at init, one more entry per {@link DevPki#revoke}, signed by the issuing CA. */
class DevPkiRevocationListTest {
    private static final Instant NOW = Instant.parse("2026-11-24T01:00:00Z");

    @TempDir
    Path pki;

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void initWritesAnEmptyCrlPerCaSignedWithItsKeyValidForTheConfiguredPeriod(KeyAlgorithm algorithm) throws Exception {
        DevPki.init(pki, DevPki.Options.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)).withCrlValidity(Period.ofDays(3)));
        Path hierarchy = DevPki.hierarchyDirectory(pki, algorithm);

        for (String ca : new String[] {"root", "intermediate"}) {
            X509CRL crl = DevPki.readRevocationList(hierarchy.resolve(ca + ".crl.pem"));
            X509Certificate issuer = Credentials.readCertificates(hierarchy.resolve(ca + ".pem")).get(0);
            crl.verify(issuer.getPublicKey(), BouncyCastle.provider());
            assertThat(crl.getVersion()).isEqualTo(2);
            assertThat(crl.getSigAlgName()).isEqualToIgnoringCase(algorithm.certificateSignatureAlgorithm());
            assertThat(crl.getIssuerX500Principal()).isEqualTo(issuer.getSubjectX500Principal());
            assertThat(crl.getRevokedCertificates()).isNull();
            assertThat(crl.getThisUpdate().toInstant()).isEqualTo(NOW);
            assertThat(crl.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3)));
            assertThat(crlNumber(crl)).isEqualTo(BigInteger.ONE);
        }
        assertThat(DevPki.revocationListFiles(pki)).allMatch(java.nio.file.Files::isRegularFile).hasSize(4);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void revokeAddsOneEntryPerLeafKeepsTheEarlierOnesAndIsIdempotent(KeyAlgorithm algorithm) throws Exception {
        DevPki.init(pki);
        Path hierarchy = DevPki.hierarchyDirectory(pki, algorithm);
        X509Certificate pharmacy = leaf(hierarchy, "client-P11010500002");
        X509Certificate bank = leaf(hierarchy, "client-B11010500003");
        Clock later = Clock.fixed(Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS), ZoneOffset.UTC);

        DevPki.Revocation first = DevPki.revoke(pki, algorithm, "client-P11010500002", CRLReason.KEY_COMPROMISE);
        DevPki.Revocation second = DevPki.revoke(pki, algorithm, "client-B11010500003", CRLReason.UNSPECIFIED, later, Period.ofDays(1));
        DevPki.Revocation again = DevPki.revoke(pki, algorithm, "client-P11010500002", CRLReason.SUPERSEDED);

        assertThat(first.revocationList()).isEqualTo(hierarchy.resolve(DevPki.INTERMEDIATE_CRL));
        assertThat(first.serialNumber()).isEqualTo(pharmacy.getSerialNumber());
        assertThat(second.entries()).isEqualTo(2);
        assertThat(again).isEqualTo(new DevPki.Revocation(first.revocationList(), pharmacy.getSerialNumber(), first.revocationDate(), 2));
        X509CRL crl = DevPki.readRevocationList(hierarchy.resolve(DevPki.INTERMEDIATE_CRL));
        crl.verify(leaf(hierarchy, "intermediate").getPublicKey(), BouncyCastle.provider());
        assertThat(crl.getRevokedCertificates()).hasSize(2);
        assertThat(crl.getRevokedCertificate(pharmacy).getRevocationReason()).isEqualTo(CRLReason.KEY_COMPROMISE);
        assertThat(crl.getRevokedCertificate(pharmacy).getRevocationDate().toInstant()).isEqualTo(first.revocationDate());
        assertThat(crl.getRevokedCertificate(bank).getRevocationReason()).as("unspecified is left out (RFC 5280 §5.3.1)").isNull();
        assertThat(crl.getThisUpdate().toInstant()).isEqualTo(later.instant());
        assertThat(crl.getNextUpdate().toInstant()).isEqualTo(later.instant().plus(Duration.ofDays(1)));
        assertThat(crlNumber(crl)).isEqualTo(BigInteger.valueOf(3));
        assertThat(crl.getRevokedCertificate(leaf(hierarchy, "client-H11010500001"))).isNull();
        assertThat(DevPki.readRevocationList(hierarchy.resolve(DevPki.ROOT_CRL)).getRevokedCertificates()).isNull();
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void theIntermediateIsRevokedOnTheRootsCrl(KeyAlgorithm algorithm) throws Exception {
        DevPki.init(pki);
        Path hierarchy = DevPki.hierarchyDirectory(pki, algorithm);

        DevPki.Revocation revocation = DevPki.revoke(pki, algorithm, DevPki.INTERMEDIATE, CRLReason.CA_COMPROMISE);

        assertThat(revocation.revocationList()).isEqualTo(hierarchy.resolve(DevPki.ROOT_CRL));
        X509CRL crl = DevPki.readRevocationList(revocation.revocationList());
        crl.verify(DevPki.rootCertificate(pki, algorithm).getPublicKey(), BouncyCastle.provider());
        assertThat(crl.getRevokedCertificate(leaf(hierarchy, "intermediate")).getRevocationReason()).isEqualTo(CRLReason.CA_COMPROMISE);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aSecondClientCertificateOfAnInstitutionIsIssuedBelowTheIntermediate(KeyAlgorithm algorithm) throws Exception {
        DevPki.init(pki);
        Path hierarchy = DevPki.hierarchyDirectory(pki, algorithm);

        DevPki.issueClientCertificate(pki, algorithm, Institution.SYNTHETIC.get(0), "client-H11010500001-second");

        Credentials second = DevPki.credentials(pki, algorithm, "client-H11010500001-second");
        assertThat(InstitutionIdentity.findCode(second.certificate())).contains("H11010500001");
        second.certificate().verify(leaf(hierarchy, "intermediate").getPublicKey(), BouncyCastle.provider());
        assertThat(second.chain()).hasSize(2);
        assertThatThrownBy(() -> DevPki.issueClientCertificate(pki, algorithm, Institution.SYNTHETIC.get(0), "client-H11010500001-second"))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void revokingAnUnknownNameSaysWhichFileIsMissing(KeyAlgorithm algorithm) throws Exception {
        DevPki.init(pki);

        assertThatThrownBy(() -> DevPki.revoke(pki, algorithm, "client-X00000000000", CRLReason.KEY_COMPROMISE))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("client-X00000000000.pem");
    }

    private static X509Certificate leaf(Path hierarchy, String name) throws Exception {
        return Credentials.readCertificates(hierarchy.resolve(name + ".pem")).get(0);
    }

    private static BigInteger crlNumber(X509CRL crl) throws Exception {
        return CRLNumber.getInstance(JcaX509ExtensionUtils.parseExtensionValue(crl.getExtensionValue(Extension.cRLNumber.getId())))
                .getCRLNumber();
    }
}
