package io.yibao.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code yibao adapter new} then {@code yibao adapter test}: the starter of every format with a reader translates its sample. */
class AdapterScaffoldRoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {"csv", "fixed"})
    void starterMappingTranslatesItsSample(String format, @TempDir Path dir) {
        CliRun created = CliRun.of("adapter", "new", "starter-" + format, "--format", format, "--dir", dir.toString());

        assertThat(created.exitCode()).as(created.err()).isZero();
        Path folder = dir.resolve("starter-" + format);
        assertThat(folder.resolve("mapping.yaml")).content().contains("id: starter-" + format).doesNotContain("__ADAPTER_ID__");
        String good = format.equals("csv") ? "sales" : "results";
        String bad = format.equals("csv") ? "sales-bad-id-and-code.csv" : "results-wrong-count.txt";
        assertThat(folder.resolve("expected/" + good + ".json")).content().contains("\"bundle\"");
        assertThat(folder.resolve("samples/bad/" + bad + ".expected.tsv")).content()
                .contains(format.equals("csv") ? "1\tmap-pattern\tline 2, column 证件号码" : "file\tmap-control-count");

        CliRun tested = CliRun.of("adapter", "test", folder.toString(), "--quiet");

        assertThat(tested.exitCode()).as(tested.out() + tested.err()).isZero();
        assertThat(tested.out()).contains("file check passed")
                .contains("record 1 (line 2) key ")
                .contains("  " + good + (format.equals("csv") ? ".csv" : ".txt") + ": conforms")
                .contains("  bad/" + bad + ": conforms");
    }

    @Test
    void scaffoldNeverOverwrites(@TempDir Path dir) throws Exception {
        assertThat(CliRun.of("adapter", "new", "taken", "--format", "csv", "--dir", dir.toString()).exitCode()).isZero();
        Files.writeString(dir.resolve("taken/mapping.yaml"), "# edited by hand\n");

        CliRun again = CliRun.of("adapter", "new", "taken", "--format", "fixed", "--dir", dir.toString());

        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(again.err()).contains("yibao adapter new: ").contains("taken already exists: yibao adapter new never overwrites");
        assertThat(dir.resolve("taken/mapping.yaml")).hasContent("# edited by hand");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xml", "json"})
    void formatsWithoutAReaderAreRefusedWithTheReason(String format, @TempDir Path dir) {
        CliRun run = CliRun.of("adapter", "new", "tax-" + format, "--format", format, "--dir", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("format " + format + ": the mapping engine has no " + format + " record reader yet");
        assertThat(dir.resolve("tax-" + format)).doesNotExist();
    }

    @Test
    void adapterIdMustBeLowerCaseWords(@TempDir Path dir) {
        CliRun run = CliRun.of("adapter", "new", "Pharmacy_X", "--format", "csv", "--dir", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("adapter id 'Pharmacy_X' is not lower-case words joined by '-'");
    }

    @Test
    void moduleHoldsTheFolderOnItsClassPathAndRunsTheConformanceTestInItsBuild(@TempDir Path dir) {
        CliRun created = CliRun.of("adapter", "new", "bank-demo", "--format", "fixed", "--module", "--dir", dir.toString());

        assertThat(created.exitCode()).as(created.err()).isZero();
        Path module = dir.resolve("bank-demo");
        assertThat(module.resolve("pom.xml")).content()
                .contains("<artifactId>yibao-adapter-bank-demo</artifactId>")
                .contains("<dependency>io.yibao:yibao-adapter-mapping</dependency>")
                .contains("<type>test-jar</type>");
        assertThat(module.resolve("src/main/resources/META-INF/yibao/mappings.list")).content().contains("yibao-mappings/bank-demo");
        assertThat(module.resolve("README.md")).exists();
        assertThat(created.out()).contains("<module>");

        CliRun tested = CliRun.of("adapter", "test", module.resolve("src/main/resources/yibao-mappings/bank-demo").toString(), "--quiet");
        assertThat(tested.exitCode()).as(tested.out()).isZero();
        assertThat(tested.out()).contains("bad/results-wrong-count.txt: conforms");
    }

    @Test
    void trailerCountThatDoesNotMatchRejectsTheFileAndExitsNonZero(@TempDir Path dir) throws Exception {
        CliRun.of("adapter", "new", "bank-count", "--format", "fixed", "--dir", dir.toString());
        Path sample = dir.resolve("bank-count/samples/results.txt");
        Charset gbk = Charset.forName("GBK");
        Files.writeString(sample, Files.readString(sample, gbk).replace("T000002", "T000003"), gbk);

        CliRun run = CliRun.of("adapter", "test", dir.resolve("bank-count").toString(), "--quiet");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out()).contains("file check FAILED: the gateway rejects the whole file")
                .contains("ERROR map-control-count [results.txt, trailer (line 4), bytes 2-7 (record_count)]")
                .contains("results.txt: DOES NOT CONFORM")
                .contains("file rejected: file\tmap-control-count");
    }
}
