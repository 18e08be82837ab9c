package io.yibao.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yibao certs init|inspect} and the end-to-end {@code yibao demo}. */
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
    void demoRunsTheFoundationEndToEnd(@TempDir Path dir) {
        CliRun demo = CliRun.of("demo", "--dir", dir.toString());

        assertThat(demo.exitCode()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out()).contains("CONTENT_ALTERED").contains("yb-rid-check").contains("Demo complete");
    }
}
