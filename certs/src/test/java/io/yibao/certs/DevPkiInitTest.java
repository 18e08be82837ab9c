package io.yibao.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DevPki#init}: what it writes, and that it does not silently replace an existing PKI. */
class DevPkiInitTest {

    @TempDir
    Path pki;

    @Test
    void summaryListsEveryFileWrittenAndTheLeaves() throws Exception {
        DevPki.Summary summary = DevPki.init(pki);

        assertThat(summary.leafNames()).containsExactlyElementsOf(DevPkiFixture.defaultLeafNames());
        assertThat(summary.storePasswordFile()).isEqualTo(pki.resolve("store-password"));
        assertThat(summary.files()).allMatch(Files::isRegularFile);
        assertThat(summary.envelopeSigningLeafNames()).containsExactly("envelope-signing-H11010500001", "envelope-signing-P11010500002");
        // store-password + per hierarchy: 4 CA files, truststore, 2 CRLs, 4 files per leaf; + 4 files per SM2 envelope leaf;
        // + an SSH key pair per institution
        assertThat(summary.files()).hasSize(1 + 2 * (7 + 4 * summary.leafNames().size()) + 4 * summary.envelopeSigningLeafNames().size()
                + 2 * Institution.SYNTHETIC.size());
        assertThat(summary.files()).contains(pki.resolve("sm2/envelope-signing-H11010500001.pem"),
                pki.resolve("sm2/envelope-signing-H11010500001.key.pem"));
        for (String hierarchy : List.of("ec", "sm2")) {
            Path directory = pki.resolve(hierarchy);
            assertThat(summary.files()).contains(directory.resolve("root.pem"), directory.resolve("root.key.pem"),
                    directory.resolve("intermediate.pem"), directory.resolve("intermediate.key.pem"),
                    directory.resolve("truststore.p12"), directory.resolve("root.crl.pem"), directory.resolve("intermediate.crl.pem"),
                    directory.resolve("client-H11010500001.p12"),
                    directory.resolve("gateway-tls.chain.pem"));
        }
        assertThat(summary.format())
                .contains("Development PKI in " + pki)
                .contains("client-T11010500004")
                .contains("Envelope-signing leaves (sm2 only): envelope-signing-H11010500001, envelope-signing-P11010500002")
                .contains("sm2/platform-tls.p12");
    }

    @Test
    void refusesToReplaceAnExistingPki() throws Exception {
        DevPki.init(pki);
        byte[] root = Files.readAllBytes(pki.resolve("ec/root.pem"));

        assertThatThrownBy(() -> DevPki.init(pki))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("force");
        assertThat(Files.readAllBytes(pki.resolve("ec/root.pem"))).isEqualTo(root);
    }

    @Test
    void forceReplacesTheWholePkiWithANewPassword() throws Exception {
        DevPki.init(pki);
        char[] oldPassword = DevPki.readStorePassword(pki);
        byte[] oldRoot = Files.readAllBytes(pki.resolve("sm2/root.pem"));

        DevPki.init(pki, DevPki.Options.defaults()
                .withForce(true)
                .withInstitutions(List.of(Institution.SYNTHETIC.get(0))));

        assertThat(DevPki.readStorePassword(pki)).isNotEqualTo(oldPassword);
        assertThat(Files.readAllBytes(pki.resolve("sm2/root.pem"))).isNotEqualTo(oldRoot);
        assertThat(pki.resolve("sm2/client-P11010500002.pem")).doesNotExist();
        assertThat(DevPki.credentials(pki, KeyAlgorithm.SM2, "client-H11010500001").chain()).hasSize(2);
    }

    @Test
    void initCreatesMissingDirectoriesAndLeavesForeignFilesAlone() throws Exception {
        Path nested = pki.resolve("var/pki");
        Files.createDirectories(nested);
        Files.writeString(nested.resolve("README"), "not ours");

        DevPki.init(nested);
        DevPki.init(nested, DevPki.Options.defaults().withForce(true));

        assertThat(nested.resolve("README")).hasContent("not ours");
        assertThat(nested.resolve("ec/root.pem")).isRegularFile();
    }

    @Test
    void optionsRejectDuplicateInstitutionsAndEmptyValidity() {
        Institution hospital = Institution.SYNTHETIC.get(0);

        assertThatThrownBy(() -> DevPki.Options.defaults().withInstitutions(List.of(hospital, hospital)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DevPki.Options.defaults().withLeafValidity(java.time.Period.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
