package io.yibao.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Private keys encrypted by the real {@code openssl}, as an institution's IT department hands them over: PKCS#8
 * ({@code openssl pkcs8 -topk8 -v2 aes-256-cbc}, "ENCRYPTED PRIVATE KEY") and OpenSSL's traditional SEC1 form
 * ({@code openssl ec -aes256}, "Proc-Type: 4,ENCRYPTED"). Each opens with its password to the very key, is refused with
 * a wrong one, and without one says that a password is needed.
 */
class EncryptedPemKeyTest {
    private static final String PASSWORD = "Yibao-test-2026";
    private static final String LEAF = DevPki.clientLeafName("H11010500001");

    @TempDir
    static Path pki;
    private static Path ec;

    @BeforeAll
    static void createPki() throws Exception {
        DevPki.init(pki);
        ec = DevPki.hierarchyDirectory(pki, KeyAlgorithm.EC_P256);
        run("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", LEAF + ".key.pem", "-out", "pkcs8.enc.pem", "-passout", "pass:" + PASSWORD);
        run("ec", "-aes256", "-in", LEAF + ".key.pem", "-out", "sec1.enc.pem", "-passout", "pass:" + PASSWORD);
    }

    static List<String> encryptedForms() {
        return List.of("pkcs8.enc.pem", "sec1.enc.pem");
    }

    @ParameterizedTest
    @MethodSource("encryptedForms")
    void opensWithItsPasswordToTheSameKey(String file) throws Exception {
        assertThat(Files.readString(ec.resolve(file))).contains("ENCRYPTED");

        assertThat(Credentials.readPrivateKey(ec.resolve(file), PASSWORD.toCharArray()).getEncoded())
                .isEqualTo(Credentials.readPrivateKey(ec.resolve(LEAF + ".key.pem")).getEncoded());
    }

    @ParameterizedTest
    @MethodSource("encryptedForms")
    void aWrongPasswordIsRefusedAndNoneIsAskedFor(String file) {
        assertThatThrownBy(() -> Credentials.readPrivateKey(ec.resolve(file), "wrong".toCharArray()))
                .isInstanceOf(IOException.class).isNotInstanceOf(Credentials.EncryptedKeyException.class)
                .hasMessageContaining("the password does not open the private key in");
        assertThatThrownBy(() -> Credentials.readPrivateKey(ec.resolve(file)))
                .isInstanceOf(Credentials.EncryptedKeyException.class).hasMessageContaining("is encrypted: its password is needed");
    }

    private static void run(String... arguments) throws Exception {
        OpenSslCommand.Result result = OpenSslCommand.run(ec, arguments);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }
}
