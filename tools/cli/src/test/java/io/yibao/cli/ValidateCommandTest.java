package io.yibao.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yibao validate}: exit code and one line per issue with rule id, path and message. */
class ValidateCommandTest {

    @Test
    void validMessageExitsZero() {
        CliRun run = CliRun.of("validate", SignVerifyCommandTest.EXAMPLE.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("valid (0 errors");
    }

    @Test
    void invalidMessageExitsNonZeroAndNamesRulePathAndMessage(@TempDir Path dir) throws Exception {
        String example = Files.readString(SignVerifyCommandTest.EXAMPLE);
        Path broken = Files.writeString(dir.resolve("broken.json"),
                example.replace("\"value\": \"110105198001010016\"", "\"value\": \"110105198001010017\""), StandardCharsets.UTF_8);

        CliRun run = CliRun.of("validate", broken.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out()).contains("INVALID (1 errors")
                .contains("ERROR yb-rid-check Bundle.entry[1].resource.identifier[0].value: The resident ID number's check character is wrong")
                .contains("居民身份证号码校验码错误");
    }

    @Test
    void jsonFormatPrintsTheOperationOutcome(@TempDir Path dir) throws Exception {
        Path notABundle = Files.writeString(dir.resolve("patient.json"), "{\"resourceType\":\"Patient\"}");

        CliRun run = CliRun.of("validate", "--format", "json", notABundle.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out()).contains("\"resourceType\": \"OperationOutcome\"").contains("yb-bdl-0");
    }

    @Test
    void missingFileIsAFailureNotAVerdict() {
        CliRun run = CliRun.of("validate", "no-such-file.json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("no such file: no-such-file.json");
    }
}
