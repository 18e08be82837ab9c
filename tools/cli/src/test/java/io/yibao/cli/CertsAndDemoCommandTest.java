package io.yibao.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.certs.Credentials;
import io.yibao.certs.DevPki;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yibao certs init|inspect|revoke} and the end-to-end {@code yibao demo}. */
class CertsAndDemoCommandTest {

    @Test
    void initCreatesThePkiAndInspectReadsAnInstitutionsStore(@TempDir Path dir) {
        CliRun init = CliRun.of("certs", "init", dir.resolve("pki").toString());
        assertThat(init.exitCode()).as(init.err()).isZero();

        CliRun again = CliRun.of("certs", "init", dir.resolve("pki").toString());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILED);

        CliRun inspect = CliRun.of("certs", "inspect", dir.resolve("pki/sm2/client-H11010500001.p12").toString());
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains("CN=H11010500001").contains("Institution:  H11010500001").contains("days left");
    }

    @Test
    void revokeListsTheCertificateOnItsCasCrlInEveryHierarchyThatHasIt(@TempDir Path dir) throws Exception {
        Path pki = dir.resolve("pki");
        assertThat(CliRun.of("certs", "init", pki.toString()).exitCode()).isZero();

        CliRun revoke = CliRun.of("certs", "revoke", pki.toString(), "client-P11010500002", "--reason", "KEY_COMPROMISE");
        CliRun envelope = CliRun.of("certs", "revoke", pki.toString(), "envelope-signing-H11010500001");
        CliRun unknown = CliRun.of("certs", "revoke", pki.toString(), "client-X00000000000");

        assertThat(revoke.exitCode()).as(revoke.err()).isZero();
        assertThat(revoke.out()).contains("ec/intermediate.crl.pem: client-P11010500002 serial").contains("sm2/intermediate.crl.pem")
                .contains("KEY_COMPROMISE").contains("lists 1 certificate");
        for (String hierarchy : new String[] {"ec", "sm2"}) {
            X509Certificate pharmacy = Credentials.readCertificates(pki.resolve(hierarchy + "/client-P11010500002.pem")).get(0);
            assertThat(DevPki.readRevocationList(pki.resolve(hierarchy + "/intermediate.crl.pem")).isRevoked(pharmacy)).isTrue();
        }
        assertThat(envelope.exitCode()).as(envelope.err()).isZero();
        assertThat(envelope.out()).contains("sm2/intermediate.crl.pem").doesNotContain("ec/").contains("lists 2 certificate");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(unknown.err()).contains("no certificate client-X00000000000.pem");
    }

    @Test
    void demoRunsTheFoundationEndToEnd(@TempDir Path dir) {
        CliRun demo = CliRun.of("demo", "--dir", dir.toString());

        assertThat(demo.exitCode()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out()).contains("CONTENT_ALTERED").contains("yb-rid-check").contains("Demo complete");
    }
}
