package io.yibao.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CertificateInspector} on PEM, DER and PKCS#12 files of the development PKI. */
class CertificateInspectorTest {

    private static final Instant CREATED = Instant.parse("2026-03-01T08:00:00Z");

    @TempDir
    static Path pki;

    @BeforeAll
    static void createPki() throws Exception {
        DevPki.init(pki, DevPki.Options.defaults().withClock(Clock.fixed(CREATED, ZoneOffset.UTC)));
    }

    private final CertificateInspector inspector =
            new CertificateInspector(Clock.fixed(CREATED.plus(Duration.ofDays(30)), ZoneOffset.UTC));

    @Test
    void reportsEveryCertificateOfAPemChain() throws Exception {
        List<CertificateReport> reports = inspector.inspect(pki.resolve("sm2/client-H11010500001.chain.pem"));

        assertThat(reports).hasSize(2);
        CertificateReport leaf = reports.get(0);
        assertThat(leaf.entry()).isEqualTo("#1");
        assertThat(leaf.subject())
                .isEqualTo("CN=H11010500001,OU=hospital,O=测试第一人民医院 (Synthetic Test Hospital),C=CN");
        assertThat(leaf.issuer()).isEqualTo("CN=Yibao Dev SM2 Intermediate CA,O=Yibao Gateway Development,C=CN");
        assertThat(leaf.serialHex()).matches("([0-9a-f]{2}){1,16}");
        assertThat(leaf.notBefore()).isEqualTo(CREATED);
        assertThat(leaf.daysToExpiry()).isEqualTo(397 - 30);
        assertThat(leaf.expired()).isFalse();
        assertThat(leaf.publicKey()).isEqualTo("SM2 (sm2p256v1)");
        assertThat(leaf.keyAlgorithm()).contains(KeyAlgorithm.SM2);
        assertThat(leaf.signatureAlgorithm()).isEqualTo("SM3WITHSM2 (1.2.156.10197.1.501)");
        assertThat(leaf.certificateAuthority()).isFalse();
        assertThat(leaf.institutionCode()).contains("H11010500001");

        CertificateReport intermediate = reports.get(1);
        assertThat(intermediate.certificateAuthority()).isTrue();
        assertThat(intermediate.pathLength()).isEqualTo(OptionalInt.of(0));
        assertThat(intermediate.institutionCode()).isEmpty();
    }

    @Test
    void reportsEcKeysAndSignatures() throws Exception {
        CertificateReport root = inspector.inspect(pki.resolve("ec/root.pem")).get(0);

        assertThat(root.publicKey()).isEqualTo("EC P-256 (secp256r1)");
        assertThat(root.keyAlgorithm()).contains(KeyAlgorithm.EC_P256);
        assertThat(root.signatureAlgorithm()).isEqualTo("SHA256WITHECDSA (1.2.840.10045.4.3.2)");
        assertThat(root.pathLength()).isEqualTo(OptionalInt.of(1));
        assertThat(root.daysToExpiry()).isGreaterThan(3600);
    }

    @Test
    void readsPkcs12StoresWithThePassword() throws Exception {
        List<CertificateReport> reports =
                inspector.inspect(pki.resolve("ec/gateway-tls.p12"), DevPki.readStorePassword(pki));

        assertThat(reports).extracting(CertificateReport::entry).containsExactly("gateway-tls[0]", "gateway-tls[1]");
        assertThat(reports.get(0).subject()).startsWith("CN=gateway-tls,");
        assertThat(reports.get(0).institutionCode()).isEmpty();

        assertThat(inspector.inspect(pki.resolve("sm2/truststore.p12"), DevPki.readStorePassword(pki)))
                .singleElement()
                .satisfies(root -> assertThat(root.entry()).isEqualTo("root[0]"));
    }

    @Test
    void readsDerCertificates() throws Exception {
        Path der = pki.resolve("sm2-root.der");
        Files.write(der, DevPki.rootCertificate(pki, KeyAlgorithm.SM2).getEncoded());

        assertThat(inspector.inspect(der)).singleElement()
                .satisfies(root -> assertThat(root.keyAlgorithm()).contains(KeyAlgorithm.SM2));
    }

    @Test
    void aPkcs12StoreWithoutPasswordIsAClearError() {
        assertThatThrownBy(() -> inspector.inspect(pki.resolve("ec/gateway-tls.p12")))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("needs its password");
    }

    @Test
    void formatPrintsOneFieldPerLine() throws Exception {
        String text = CertificateInspector.format(inspector.inspect(pki.resolve("ec/client-T11010500004.chain.pem")));

        assertThat(text).contains(
                "Certificate #1\n",
                "  Subject:      CN=T11010500004,OU=tax_bureau,O=测试税务局 (Synthetic Test Tax Bureau),C=CN\n",
                "  Not after:    2027-04-02T08:00:00Z (367 days left)\n",
                "  Public key:   EC P-256 (secp256r1)\n",
                "  CA:           no\n",
                "  Institution:  T11010500004\n",
                "\nCertificate #2\n",
                "  CA:           yes, path length 0\n");
    }

    @Test
    void reportFormatsExpiry() {
        CertificateReport expired = new CertificateReport("#1", "CN=x", "CN=y", "01", CREATED, CREATED, -3,
                "EC P-256 (secp256r1)", Optional.of(KeyAlgorithm.EC_P256), "SHA256WITHECDSA", false,
                OptionalInt.empty(), Optional.empty());

        assertThat(expired.expired()).isTrue();
        assertThat(expired.format()).contains("(EXPIRED 3 days ago)").doesNotContain("Institution");
    }
}
