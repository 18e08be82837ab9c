package io.yibao.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code yibao adapter new} then {@code yibao adapter test}: the starter of every format (csv, fixed, xml, json) conforms as generated. */
class AdapterScaffoldRoundTripTest {

    /** One starter per format: its good and bad sample and the first line of the bad sample's expectation. */
    static Stream<Arguments> starters() {
        return Stream.of(
                Arguments.of("csv", "sales.csv", "sales-bad-id-and-code.csv", "1\tmap-pattern\tline 2, column 证件号码"),
                Arguments.of("fixed", "results.txt", "results-wrong-count.txt", "file\tmap-control-count"),
                Arguments.of("xml", "contributions.xml", "contributions-wrong-count.xml",
                        "file\tmap-control-count\tcontributions-wrong-count.xml, /j:jfxx/j:pcxx/j:zbs"),
                Arguments.of("json", "fee-details.json", "fee-details-bad-id-and-code.json", "1\tmap-pattern\t/visits/0/patient/certno"));
    }

    @ParameterizedTest
    @MethodSource("starters")
    void starterMappingTranslatesItsSample(String format, String good, String bad, String badExpectation, @TempDir Path dir) {
        CliRun created = CliRun.of("adapter", "new", "starter-" + format, "--format", format, "--dir", dir.toString());

        assertThat(created.exitCode()).as(created.err()).isZero();
        Path folder = dir.resolve("starter-" + format);
        assertThat(folder.resolve("mapping.yaml")).content().contains("id: starter-" + format).doesNotContain("__ADAPTER_ID__");
        assertThat(folder.resolve("expected/" + good.substring(0, good.lastIndexOf('.')) + ".json")).content().contains("\"bundle\"");
        assertThat(folder.resolve("samples/bad/" + bad + ".expected.tsv")).content().contains(badExpectation);

        CliRun tested = CliRun.of("adapter", "test", folder.toString(), "--quiet");

        assertThat(tested.exitCode()).as(tested.out() + tested.err()).isZero();
        assertThat(tested.out()).contains("file check passed")
                .contains("record 1 ")
                .doesNotContain("map-unmapped-field")
                .contains("  " + good + ": conforms")
                .contains("  bad/" + bad + ": conforms");
    }

    @ParameterizedTest
    @MethodSource("starters")
    void badSampleTestedAsAnInputExitsNonZero(String format, String good, String bad, String badExpectation, @TempDir Path dir) {
        CliRun.of("adapter", "new", "starter-" + format, "--format", format, "--dir", dir.toString());
        Path folder = dir.resolve("starter-" + format);

        CliRun run = CliRun.of("adapter", "test", folder.toString(), folder.resolve("samples/bad/" + bad).toString(), "--quiet");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.INVALID);
        String rule = badExpectation.split("\t")[1];
        assertThat(run.out()).contains("ERROR " + rule);
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

    @Test
    void adapterIdMustBeLowerCaseWords(@TempDir Path dir) {
        CliRun run = CliRun.of("adapter", "new", "Pharmacy_X", "--format", "csv", "--dir", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("adapter id 'Pharmacy_X' is not lower-case words joined by '-'");
    }

    @ParameterizedTest
    @MethodSource("starters")
    void moduleHoldsTheFolderOnItsClassPathAndRunsTheConformanceTestInItsBuild(String format, String good, String bad,
            String badExpectation, @TempDir Path dir) {
        CliRun created = CliRun.of("adapter", "new", "demo-" + format, "--format", format, "--module", "--dir", dir.toString());

        assertThat(created.exitCode()).as(created.err()).isZero();
        Path module = dir.resolve("demo-" + format);
        assertThat(module.resolve("pom.xml")).content()
                .contains("<artifactId>yibao-adapter-demo-" + format + "</artifactId>")
                .contains("<dependency>io.yibao:yibao-adapter-mapping</dependency>")
                .contains("<type>test-jar</type>")
                .contains("<include>**/MappingConformanceTest.java</include>");
        assertThat(module.resolve("src/main/resources/META-INF/yibao/mappings.list")).content().contains("yibao-mappings/demo-" + format);
        assertThat(module.resolve("README.md")).exists();
        assertThat(created.out()).contains("<module>");

        CliRun tested = CliRun.of("adapter", "test", module.resolve("src/main/resources/yibao-mappings/demo-" + format).toString(), "--quiet");
        assertThat(tested.exitCode()).as(tested.out()).isZero();
        assertThat(tested.out()).contains("  " + good + ": conforms").contains("bad/" + bad + ": conforms");
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
