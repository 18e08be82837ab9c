package io.yibao.certs;

import static io.yibao.certs.OpenSslCommand.SM2_DISTINGUISHING_ID_OPTION;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** OpenSSL 3 reads and verifies every certificate and key of both hierarchies. */
class DevPkiOpenSslVerifyTest {

    @TempDir
    static Path pki;

    @BeforeAll
    static void createPki() throws Exception {
        DevPki.init(pki);
    }

    @ParameterizedTest(name = "ec/{0}")
    @MethodSource("io.yibao.certs.DevPkiFixture#defaultLeafNames")
    void opensslVerifiesEveryEcLeafAgainstTheRoot(String leaf) throws Exception {
        OpenSslCommand.Result result = OpenSslCommand.run(pki.resolve("ec"),
                "verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted", "intermediate.pem", leaf + ".pem");

        assertThat(result.output()).isEqualTo(leaf + ".pem: OK\n");
        assertThat(result.exitCode()).isZero();
    }

    /**
     * OpenSSL 3.0 verifies SM2 signatures with an empty distinguishing id unless one is given, and
     * {@code -vfyopt} reaches only the certificate being verified, not the intermediates of its chain
     * (openssl/openssl#23471). Our certificates are signed with the GM/T 0009 default id, so each link of
     * the chain is verified by its own call: intermediate against the root, then leaf against the
     * intermediate.
     */
    @ParameterizedTest(name = "sm2/{0}")
    @MethodSource("io.yibao.certs.DevPkiFixture#defaultLeafNames")
    void opensslVerifiesEverySm2LeafLinkByLinkWithTheGmt0009Id(String leaf) throws Exception {
        Path sm2 = pki.resolve("sm2");
        OpenSslCommand.Result intermediate = OpenSslCommand.run(sm2, "verify", "-x509_strict",
                "-vfyopt", SM2_DISTINGUISHING_ID_OPTION, "-CAfile", "root.pem", "intermediate.pem");
        OpenSslCommand.Result leafResult = OpenSslCommand.run(sm2, "verify", "-x509_strict",
                "-vfyopt", SM2_DISTINGUISHING_ID_OPTION, "-partial_chain", "-CAfile", "intermediate.pem", leaf + ".pem");

        assertThat(intermediate.output()).isEqualTo("intermediate.pem: OK\n");
        assertThat(leafResult.output()).isEqualTo(leaf + ".pem: OK\n");
        assertThat(leafResult.exitCode()).isZero();
    }

    /**
     * The CRLs, with an entry each, verify with OpenSSL against their issuing CA's key, and not against the other CA's.
     * {@code openssl crl -CAfile} takes no SM2 distinguishing id (OpenSSL 3.0 has no {@code -vfyopt} there), so the
     * signature is checked as {@code openssl dgst} does for any SM2 signature: over the DER tbsCertList, cut out of the
     * CRL with {@code asn1parse}, with {@code -sigopt distid:1234567812345678}. For EC, {@code openssl crl} verifies too.
     */
    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void opensslVerifiesTheCrlsOfBothCas(KeyAlgorithm algorithm) throws Exception {
        Path copy = pki.resolveSibling(pki.getFileName() + "-revoked-" + algorithm);
        DevPki.init(copy);
        String pharmacy = DevPki.clientLeafName("P11010500002");
        DevPki.revoke(copy, algorithm, pharmacy, CRLReason.KEY_COMPROMISE);
        DevPki.revoke(copy, algorithm, DevPki.INTERMEDIATE, CRLReason.CA_COMPROMISE);
        Path directory = DevPki.hierarchyDirectory(copy, algorithm);
        // OpenSSL prints a serial's magnitude byte by byte: 0x0F... keeps its leading zero, which BigInteger.toString drops.
        String serial = HexFormat.of().withUpperCase().formatHex(BigIntegers.asUnsignedByteArray(
                Credentials.readCertificates(directory.resolve(pharmacy + ".pem")).get(0).getSerialNumber()));

        for (String ca : new String[] {"root", "intermediate"}) {
            String other = ca.equals("root") ? "intermediate" : "root";
            assertThat(verifiesWithTheKeyOf(directory, ca + ".crl.pem", ca + ".pem", algorithm)).as(ca).isTrue();
            assertThat(verifiesWithTheKeyOf(directory, ca + ".crl.pem", other + ".pem", algorithm)).as(ca + " with " + other).isFalse();
            if (algorithm == KeyAlgorithm.EC_P256) {
                OpenSslCommand.Result result = OpenSslCommand.run(directory, "crl", "-in", ca + ".crl.pem", "-CAfile", ca + ".pem", "-noout");
                assertThat(result.output()).as(ca).isEqualTo("verify OK\n");
            }
        }
        OpenSslCommand.Result text = OpenSslCommand.run(directory, "crl", "-in", "intermediate.crl.pem", "-noout", "-text");
        assertThat(text.output()).contains("Serial Number: " + serial).contains("Key Compromise").contains("X509v3 CRL Number");
    }

    private static boolean verifiesWithTheKeyOf(Path directory, String crl, String issuer, KeyAlgorithm algorithm) throws Exception {
        Path work = Files.createTempDirectory(directory, "crl-check");
        assertThat(OpenSslCommand.run(directory, "crl", "-in", crl, "-outform", "DER", "-out", work.resolve("crl.der").toString())
                .exitCode()).isZero();
        OpenSslCommand.Result structure = OpenSslCommand.run(work, "asn1parse", "-inform", "DER", "-in", "crl.der");
        // Depth-1 elements of CertificateList (RFC 5280 §5.1): tbsCertList, signatureAlgorithm, signatureValue.
        List<String> offsets = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+):d=1").matcher(structure.output());
        while (m.find()) {
            offsets.add(m.group(1));
        }
        assertThat(offsets).as(structure.output()).hasSize(3);
        assertThat(OpenSslCommand.run(work, "asn1parse", "-inform", "DER", "-in", "crl.der", "-strparse", offsets.get(0),
                "-noout", "-out", "tbs.der").exitCode()).isZero();
        assertThat(OpenSslCommand.run(work, "asn1parse", "-inform", "DER", "-in", "crl.der", "-strparse", offsets.get(2),
                "-noout", "-out", "signature.der").exitCode()).isZero();
        assertThat(OpenSslCommand.run(work, "x509", "-in", directory.resolve(issuer).toString(), "-pubkey", "-noout",
                "-out", "key.pem").exitCode()).isZero();
        List<String> dgst = new ArrayList<>(List.of("dgst", algorithm == KeyAlgorithm.SM2 ? "-sm3" : "-sha256", "-verify", "key.pem"));
        if (algorithm == KeyAlgorithm.SM2) {
            dgst.addAll(List.of("-sigopt", SM2_DISTINGUISHING_ID_OPTION));
        }
        dgst.addAll(List.of("-signature", "signature.der", "tbs.der"));
        OpenSslCommand.Result result = OpenSslCommand.run(work, dgst.toArray(String[]::new));
        return result.exitCode() == 0 && result.output().equals("Verified OK\n");
    }

    @Test
    void opensslReadsSm2CertificatesAsSm2KeysSignedWithSm3WithSm2() throws Exception {
        OpenSslCommand.Result result = OpenSslCommand.run(pki.resolve("sm2"),
                "x509", "-in", DevPki.GATEWAY_TLS + ".pem", "-noout", "-text");

        assertThat(result.exitCode()).isZero();
        assertThat(result.output())
                .contains("Signature Algorithm: SM2-with-SM3")
                .contains("Public Key Algorithm: id-ecPublicKey")
                .contains("ASN1 OID: SM2");
    }

    @Test
    void sm2SignatureAlgorithmIdentifierHasNoParameters() throws Exception {
        OpenSslCommand.Result result = OpenSslCommand.run(pki.resolve("sm2"), "asn1parse", "-in", "intermediate.pem");

        // tbsCertificate.signature: the OID is followed directly by the issuer name, with no NULL.
        assertThat(result.output()).containsPattern(
                "prim: OBJECT +:SM2-with-SM3\\n.*cons: SEQUENCE");
        assertThat(result.output()).doesNotContain("prim: NULL");
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void opensslReadsEveryPrivateKey(KeyAlgorithm algorithm) throws Exception {
        Path directory = DevPki.hierarchyDirectory(pki, algorithm);
        for (String name : DevPkiFixture.defaultLeafNames()) {
            OpenSslCommand.Result result = OpenSslCommand.run(directory, "pkey", "-in", name + ".key.pem", "-noout");
            assertThat(result.exitCode()).as(result.output()).isZero();
        }
        for (String ca : new String[] {"root", "intermediate"}) {
            assertThat(OpenSslCommand.run(directory, "pkey", "-in", ca + ".key.pem", "-noout").exitCode()).isZero();
        }
    }
}
