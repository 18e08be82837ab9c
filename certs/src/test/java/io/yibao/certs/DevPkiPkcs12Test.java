package io.yibao.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Collections;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The PKCS#12 stores: readable by {@link Credentials}, OpenSSL 3 and the JDK, with modern algorithms. */
class DevPkiPkcs12Test {

    @TempDir
    static Path pki;

    @BeforeAll
    static void createPki() throws Exception {
        DevPki.init(pki);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.yibao.certs.DevPkiFixture#everyLeaf")
    void credentialsRoundTripKeyAndChain(KeyAlgorithm algorithm, String leaf) throws Exception {
        Path directory = DevPki.hierarchyDirectory(pki, algorithm);

        Credentials credentials = Credentials.fromPkcs12(directory.resolve(leaf + ".p12"), DevPki.readStorePassword(pki));

        assertThat(credentials.chain()).containsExactly(
                Credentials.readCertificates(directory.resolve(leaf + ".pem")).get(0),
                Credentials.readCertificates(directory.resolve("intermediate.pem")).get(0));
        assertThat(credentials.privateKey().getEncoded())
                .isEqualTo(Credentials.readPrivateKey(directory.resolve(leaf + ".key.pem")).getEncoded());
        assertThat(keyMatchesCertificate(credentials, algorithm)).isTrue();
        assertThat(Credentials.fromPem(directory.resolve(leaf + ".key.pem"), directory.resolve(leaf + ".chain.pem")).chain())
                .isEqualTo(credentials.chain());
    }

    @Test
    void devPkiLoadsCredentialsByLeafName() throws Exception {
        Credentials credentials = DevPki.credentials(pki, KeyAlgorithm.SM2, DevPki.GATEWAY_SIGNING);

        assertThat(credentials.certificate().getSubjectX500Principal().getName()).contains("CN=gateway-signing");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.yibao.certs.DevPkiFixture#everyLeaf")
    void opensslReadsEveryStoreWithPbes2Aes256AndSha256Mac(KeyAlgorithm algorithm, String leaf) throws Exception {
        OpenSslCommand.Result result = OpenSslCommand.run(DevPki.hierarchyDirectory(pki, algorithm),
                "pkcs12", "-info", "-noout", "-in", leaf + ".p12",
                "-passin", "file:" + pki.resolve(DevPki.STORE_PASSWORD_FILE));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("MAC: sha256")
                .contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256")
                .contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256")
                .doesNotContain("RC2", "3DES", "sha1");
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void opensslReadsTheTrustStore(KeyAlgorithm algorithm) throws Exception {
        OpenSslCommand.Result result = OpenSslCommand.run(DevPki.hierarchyDirectory(pki, algorithm),
                "pkcs12", "-in", "truststore.p12", "-nokeys", "-passin", "file:" + pki.resolve(DevPki.STORE_PASSWORD_FILE));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("friendlyName: root").contains("Root CA");
    }

    /**
     * Both the JDK's own PKCS12 store (what a JSSE trust manager loads by default) and Bouncy Castle's
     * see the root as a trusted entry. The JDK cannot parse SM2 certificates (SunEC lacks the curve),
     * so SM2 trust stores are loaded with Bouncy Castle only.
     */
    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({"EC_P256, SUN", "EC_P256, BC", "SM2, BC"})
    void keyStoresSeeTheRootAsTrustedCertificate(KeyAlgorithm algorithm, String provider) throws Exception {
        KeyStore trustStore = provider.equals("BC")
                ? KeyStore.getInstance("PKCS12", BouncyCastle.provider())
                : KeyStore.getInstance("PKCS12", provider);
        try (InputStream in = Files.newInputStream(DevPki.hierarchyDirectory(pki, algorithm).resolve("truststore.p12"))) {
            trustStore.load(in, DevPki.readStorePassword(pki));
        }

        assertThat(Collections.list(trustStore.aliases())).containsExactly(DevPki.TRUSTSTORE_ALIAS);
        assertThat(trustStore.isCertificateEntry(DevPki.TRUSTSTORE_ALIAS)).isTrue();
        assertThat(trustStore.getCertificate(DevPki.TRUSTSTORE_ALIAS))
                .isEqualTo(DevPki.rootCertificate(pki, algorithm));
    }

    @Test
    void jdkKeyStoreReadsEcKeyStores() throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12", "SUN");
        char[] password = DevPki.readStorePassword(pki);
        try (InputStream in = Files.newInputStream(pki.resolve("ec").resolve(DevPki.GATEWAY_TLS + ".p12"))) {
            keyStore.load(in, password);
        }

        assertThat(keyStore.isKeyEntry(DevPki.GATEWAY_TLS)).isTrue();
        assertThat(keyStore.getKey(DevPki.GATEWAY_TLS, password)).isNotNull();
        assertThat(keyStore.getCertificateChain(DevPki.GATEWAY_TLS)).hasSize(2);
    }

    @Test
    void storePasswordIs24Base64UrlCharactersReadableByOwnerOnly() throws Exception {
        Path passwordFile = pki.resolve(DevPki.STORE_PASSWORD_FILE);

        assertThat(Files.readString(passwordFile, StandardCharsets.US_ASCII)).matches("[A-Za-z0-9_-]{24}\n");
        assertThat(new String(DevPki.readStorePassword(pki))).matches("[A-Za-z0-9_-]{24}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.yibao.certs.DevPkiFixture#everyLeaf")
    void privateKeyFilesAndKeyStoresAreReadableByOwnerOnly(KeyAlgorithm algorithm, String leaf) throws Exception {
        Path directory = DevPki.hierarchyDirectory(pki, algorithm);
        for (String file : new String[] {leaf + ".key.pem", leaf + ".p12", "root.key.pem", "intermediate.key.pem"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }
    }

    private static boolean keyMatchesCertificate(Credentials credentials, KeyAlgorithm algorithm) throws Exception {
        byte[] message = "fixmedins_code=H11010500001".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(algorithm.certificateSignatureAlgorithm(), BouncyCastle.provider());
        signer.initSign(credentials.privateKey());
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm.certificateSignatureAlgorithm(), BouncyCastle.provider());
        X509Certificate certificate = credentials.certificate();
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(message);
        return verifier.verify(signature);
    }
}
