package io.yibao.adapter.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.standards.validation.CanonicalValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conformance runner on copies of the engine's fixtures: written expectations pass, any difference fails. */
class MappingConformanceRunnerTest {
    private static final MappingConformance CONFORMANCE = new MappingConformance(CanonicalValidator.create(), MappingFixtures.STANDARD);

    @TempDir
    Path temp;

    private Path copy(String fixture, List<String> good, List<String> bad) throws IOException {
        Path source = MappingFixtures.folder(fixture);
        Path folder = temp.resolve(fixture);
        Files.createDirectories(folder.resolve("samples/bad"));
        Files.copy(source.resolve("mapping.yaml"), folder.resolve("mapping.yaml"));
        for (String sample : good) {
            Files.copy(source.resolve("samples").resolve(sample), folder.resolve("samples").resolve(sample));
        }
        for (String sample : bad) {
            Files.copy(source.resolve("samples").resolve(sample), folder.resolve("samples/bad").resolve(sample));
        }
        return folder;
    }

    @Test
    void writtenExpectationsPassAndAChangedDecimalScaleFails() throws IOException {
        Path folder = copy("pharmacy-sales", List.of("sales-gbk.csv"), List.of());
        assertThat(CONFORMANCE.run(folder, false)).singleElement()
                .satisfies(r -> assertThat(r.failures()).singleElement().asString().startsWith("no expected file"));
        CONFORMANCE.run(folder, true);
        assertThat(CONFORMANCE.run(folder, false)).allMatch(MappingConformance.Result::passed);

        Path expected = folder.resolve("expected/sales-gbk.json");
        String json = Files.readString(expected, StandardCharsets.UTF_8);
        assertThat(json).contains("\"value\" : 47.60");
        Files.writeString(expected, json.replace("\"value\" : 47.60", "\"value\" : 47.6"), StandardCharsets.UTF_8);
        assertThat(CONFORMANCE.run(folder, false)).singleElement()
                .satisfies(r -> assertThat(r.failures()).singleElement().asString().startsWith("the outcome differs"));
    }

    @Test
    void badRowsMustMatchTheExpectationExactly() throws IOException {
        Path folder = copy("pharmacy-sales", List.of(), List.of("sales-many-three-bad.csv"));
        Path expectation = folder.resolve("samples/bad/sales-many-three-bad.csv" + MappingConformance.EXPECTATION_SUFFIX);
        Files.writeString(expectation, """
                # record	rule	location
                5	map-required	line 6, column 销售单号
                12	map-unknown-code	line 13, column 商品编码
                20	map-csv-columns	line 21
                """, StandardCharsets.UTF_8);
        assertThat(CONFORMANCE.run(folder, false)).allMatch(MappingConformance.Result::passed);

        Files.writeString(expectation, "5\tmap-required\tline 6, column 销售单号\n", StandardCharsets.UTF_8);
        assertThat(CONFORMANCE.run(folder, false)).singleElement()
                .satisfies(r -> assertThat(r.failures()).singleElement().asString()
                        .startsWith("errors differ").contains("12\tmap-unknown-code\tline 13, column 商品编码"));
    }

    @Test
    void aFileLevelRejectionIsExpectedAsFile() throws IOException {
        Path folder = copy("bank-results", List.of(), List.of("results-wrong-sum.txt"));
        CONFORMANCE.run(folder, true);
        List<String> lines = Files.readAllLines(folder.resolve("samples/bad/results-wrong-sum.txt" + MappingConformance.EXPECTATION_SUFFIX));
        assertThat(lines).singleElement().asString().startsWith("file\tmap-control-sum\t");
        assertThat(CONFORMANCE.run(folder, false)).allMatch(MappingConformance.Result::passed);
    }
}
