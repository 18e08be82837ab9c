package io.yibao.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked example of docs/onboarding.md (pharmacy chain P44030500007, semicolon GBK CSV, mapping file and
 * samples only) run through the recipe's commands, so that the document cannot rot.
 */
class OnboardingExampleTest {
    static final Path EXAMPLES = Path.of("../../docs/onboarding-example");
    static final Path EXAMPLE = EXAMPLES.resolve("pharmacy-p44030500007");
    static final Path BAD = EXAMPLE.resolve("samples/bad/sales-20261123-three-bad.csv");

    @Test
    void samplesTranslateValidateAndMatchExpected() {
        CliRun run = CliRun.of("adapter", "test", EXAMPLE.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("3 records, institution P44030500007: file check passed")
                .contains("record 1 (line 2) key KM20261122001-1: ok")
                .contains("\"code\": \"XJ01CAA040A001010104433\"")
                .contains("\"timestamp\": \"2026-11-22T09:30:15+08:00\"")
                .contains("summary: 7 records: 4 ok, 0 with warnings, 3 failed; 0 of 2 files rejected as a whole")
                .contains("  sales-20261122.csv: conforms")
                .contains("  bad/sales-20261123-three-bad.csv: conforms");
    }

    @Test
    void adapterIsFoundByItsIdUnderTheAdaptersFolder() {
        CliRun run = CliRun.of("adapter", "test", "--adapters-dir", EXAMPLES.toString(), "pharmacy-p44030500007", "--summary");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("adapter pharmacy-p44030500007").doesNotContain("\"resourceType\"");
    }

    @Test
    void badSamplesNameRecordRuleFhirPathAndNativeLocation() {
        CliRun run = CliRun.of("adapter", "test", EXAMPLE.toString(), BAD.toString(), "--quiet");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out())
                .contains("record 1 (line 2) key KM20261123001-1: ok")
                .contains("record 2 (line 3) key KM20261123002-1: FAILED")
                .contains("ERROR yb-rid-check Bundle.entry[1].resource.identifier[0].value [line 3, column 身份证号]")
                .contains("record 3 (line 4) key KM20261123003-1: FAILED")
                .contains("ERROR map-unknown-code [line 4, column 药品编码]")
                .contains("code 'KM-999999'")
                .contains("record 4 (line 5) key KM20261123004-1: FAILED")
                .contains("ERROR map-value [line 5, column 销售日期]")
                .contains("summary: 4 records: 1 ok, 0 with warnings, 3 failed");
    }

    @Test
    void chineseMessagesOnRequest() {
        CliRun run = CliRun.of("adapter", "test", EXAMPLE.toString(), BAD.toString(), "--summary", "--lang", "zh");

        assertThat(run.out()).contains("ERROR yb-rid-check").contains("居民身份证号码校验码错误")
                .doesNotContain("check character is wrong");
    }

    @Test
    void outputThatDiffersFromExpectedFailsTheConformance(@TempDir Path dir) throws Exception {
        Path copy = copyOf(EXAMPLE, dir.resolve("example"));
        Path expected = copy.resolve("expected/sales-20261122.json");
        Files.writeString(expected, Files.readString(expected).replace("46.80", "46.8"));

        CliRun run = CliRun.of("adapter", "test", copy.toString(), "--quiet");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out()).contains("  sales-20261122.csv: DOES NOT CONFORM")
                .contains("the outcome differs from " + expected)
                .contains("  bad/sales-20261123-three-bad.csv: conforms");
    }

    @Test
    void unmappedColumnIsListedAsAWarningNotDropped(@TempDir Path dir) throws Exception {
        Path copy = copyOf(EXAMPLE, dir.resolve("example"));
        Path mapping = copy.resolve("mapping.yaml");
        Files.writeString(mapping, Files.readString(mapping).replace("  ignore: [cashier]", "  ignore: []"));

        CliRun run = CliRun.of("adapter", "test", copy.toString(), copy.resolve("samples/sales-20261122.csv").toString(), "--quiet");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("record 1 (line 2) key KM20261122001-1: ok with warnings")
                .contains("unmapped fields (map-unmapped-field):")
                .contains("line 2, column 收银员")
                .contains("summary: 3 records: 0 ok, 3 with warnings, 0 failed");
    }

    @Test
    void mappingThatDoesNotLoadIsAFailureNamingFileLineAndKey(@TempDir Path dir) throws Exception {
        Path copy = copyOf(EXAMPLE, dir.resolve("example"));
        Path mapping = copy.resolve("mapping.yaml");
        Files.writeString(mapping, Files.readString(mapping).replace("  record-key:", "  record-kee:"));

        CliRun run = CliRun.of("adapter", "test", copy.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("mapping.yaml line").contains("record-kee");
    }

    static Path copyOf(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }
}
