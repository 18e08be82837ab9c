package io.yibao.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.certs.BouncyCastle;
import io.yibao.certs.Credentials;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client key files the commands that reach a gateway take: PEM chain and key as curl takes them, an encrypted PEM key,
 * or a PKCS#12 store as institutions are often issued; a password from {@code --password-file} (no terminal in a test, so
 * the prompt's absence is said in words). Each is tried against WireMock playing the gateway over mutual TLS.
 */
class ClientKeyFilesTest {
    private static final String INSTITUTION = "H11010500001";

    @RegisterExtension
    static final WireMockGateway gateway = new WireMockGateway();
    @TempDir
    Path work;
    private Path ec;
    private String client;
    private Path storePassword;

    @BeforeEach
    void aQuarantineToList() {
        gateway.stubFor(get(urlPathEqualTo("/api/v1/quarantine")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[]")));
        ec = DevPki.hierarchyDirectory(gateway.pki(), KeyAlgorithm.EC_P256);
        client = DevPki.clientLeafName(INSTITUTION);
        storePassword = gateway.pki().resolve(DevPki.STORE_PASSWORD_FILE);
    }

    @Test
    void aPkcs12StoreOpenedWithItsPasswordFileReachesTheGateway() {
        CliRun run = list("--cert", ec.resolve(client + ".p12").toString(), "--password-file", storePassword.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).contains("0 message(s)");
        assertThat(gateway.findAll(getRequestedFor(urlPathEqualTo("/api/v1/quarantine")))).hasSize(1);
    }

    @Test
    void aWrongOrMissingStorePasswordIsSaidAndNothingIsSent() throws Exception {
        Path wrong = Files.writeString(work.resolve("wrong"), "not-the-password\n");

        CliRun run = list("--cert", ec.resolve(client + ".p12").toString(), "--password-file", wrong.toString());
        CliRun none = list("--cert", ec.resolve(client + ".p12").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot open the PKCS#12 store " + ec.resolve(client + ".p12") + " (wrong password");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("the PKCS#12 store " + ec.resolve(client + ".p12") + " needs a password: give --password-file");
        assertThat(gateway.getAllServeEvents()).isEmpty();
    }

    @Test
    void anEncryptedPemKeyIsOpenedWithItsPasswordFile() throws Exception {
        Path encrypted = encryptedKey("s3cret-Passw0rd");
        Path password = Files.writeString(work.resolve("password"), "s3cret-Passw0rd\n");

        CliRun run = list("--cert", ec.resolve(client + ".chain.pem").toString(), "--key", encrypted.toString(),
                "--password-file", password.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(gateway.findAll(getRequestedFor(urlPathEqualTo("/api/v1/quarantine")))).hasSize(1);
    }

    @Test
    void anEncryptedPemKeyWithoutAPasswordAsksForOneAndWithoutATerminalSaysHow() throws Exception {
        Path encrypted = encryptedKey("s3cret-Passw0rd");

        CliRun run = list("--cert", ec.resolve(client + ".chain.pem").toString(), "--key", encrypted.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("the key " + encrypted + " needs a password: give --password-file");
        assertThat(gateway.getAllServeEvents()).isEmpty();
    }

    @Test
    void aPemChainNeedsItsKeyAndAStoreTakesNone() {
        CliRun noKey = list("--cert", ec.resolve(client + ".chain.pem").toString());
        CliRun storeWithKey = list("--cert", ec.resolve(client + ".p12").toString(), "--key", ec.resolve(client + ".key.pem").toString(),
                "--password-file", storePassword.toString());

        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.err()).contains("is a PEM chain: give its private key with --key");
        assertThat(storeWithKey.exitCode()).isEqualTo(2);
        assertThat(storeWithKey.err()).contains("is read as a PKCS#12 store holding the key: drop --key");
        assertThat(gateway.getAllServeEvents()).isEmpty();
    }

    /** The institution's key as encrypted PKCS#8 PEM ("ENCRYPTED PRIVATE KEY", AES-256-CBC), as openssl pkcs8 -topk8 -v2 aes256 writes it. */
    private Path encryptedKey(String password) throws Exception {
        Credentials credentials = Credentials.fromPem(ec.resolve(client + ".key.pem"), ec.resolve(client + ".chain.pem"));
        Path file = work.resolve("encrypted.key.pem");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(new JcaPKCS8Generator(credentials.privateKey(), new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setProvider(BouncyCastle.provider()).setPassword(password.toCharArray()).build()));
        }
        assertThat(Files.readString(file)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        return file;
    }

    private static CliRun list(String... tls) {
        List<String> args = new ArrayList<>(List.of("quarantine", "list", "--gateway", gateway.url(), "--cacert",
                DevPki.hierarchyDirectory(gateway.pki(), KeyAlgorithm.EC_P256).resolve("root.pem").toString()));
        args.addAll(List.of(tls));
        return CliRun.of(args.toArray(String[]::new));
    }
}
