package io.yibao.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.certs.Credentials;
import io.yibao.certs.DevPki;
import io.yibao.certs.InstitutionIdentity;
import io.yibao.certs.KeyAlgorithm;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yibao certs init|add-institution|inspect|revoke} and the end-to-end {@code yibao demo}. */
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
    void addInstitutionIssuesANewInstitutionsCertificatesAndKeyUnderTheExistingCas(@TempDir Path dir) throws Exception {
        Path pki = dir.resolve("pki");
        assertThat(CliRun.of("certs", "init", pki.toString()).exitCode()).isZero();

        CliRun add = CliRun.of("certs", "add-institution", pki.toString(), "P44030500007", "--name", "测试康民连锁药房南山店");

        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(add.out()).contains("P44030500007 (pharmacy) added").contains("ec/client-P44030500007.p12")
                .contains("sm2/client-P44030500007.p12").contains("sm2/envelope-signing-P44030500007.p12").contains("ssh/P44030500007.pub");
        for (String hierarchy : new String[] {"ec", "sm2"}) {
            Credentials client = DevPki.credentials(pki, "ec".equals(hierarchy) ? KeyAlgorithm.EC_P256 : KeyAlgorithm.SM2,
                    DevPki.clientLeafName("P44030500007"));
            X509Certificate leaf = client.chain().get(0);
            assertThat(InstitutionIdentity.codeOf(leaf)).isEqualTo("P44030500007");
            assertThat(leaf.getSubjectX500Principal().getName()).contains("OU=pharmacy").contains("测试康民连锁药房南山店");
            X509Certificate intermediate = Credentials.readCertificates(pki.resolve(hierarchy + "/intermediate.pem")).get(0);
            leaf.verify(intermediate.getPublicKey(), new BouncyCastleProvider());
            assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // clientAuth
        }
        assertThat(pki.resolve("ec/envelope-signing-P44030500007.pem")).doesNotExist();

        CliRun again = CliRun.of("certs", "add-institution", pki.toString(), "P44030500007", "--name", "again");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(again.err()).contains("institution P44030500007 is already in this PKI");
        CliRun bank = CliRun.of("certs", "add-institution", pki.toString(), "B44030500008", "--name", "测试银行分行");
        assertThat(bank.exitCode()).as(bank.err()).isZero();
        assertThat(bank.out()).contains("(bank)").doesNotContain("envelope-signing");
        CliRun malformed = CliRun.of("certs", "add-institution", pki.toString(), "X4403050000", "--name", "x");
        assertThat(malformed.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(malformed.err()).contains("'X4403050000' starts with none of H (hospital), P (pharmacy)");
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
