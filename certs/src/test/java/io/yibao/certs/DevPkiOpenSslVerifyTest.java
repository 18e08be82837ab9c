package io.yibao.certs;

import static io.yibao.certs.OpenSslCommand.SM2_DISTINGUISHING_ID_OPTION;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
