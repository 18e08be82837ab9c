package io.yibao.standards.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the whole test corpus: every bundle under {@code corpus/valid} must pass without errors; every
 * bundle under {@code corpus/invalid} must raise exactly the rule (at the element) that
 * {@code corpus/invalid/expected-issues.tsv} names for it. A new sample needs a file and a line, no code.
 */
class CanonicalValidatorCorpusTest {
    static final Path CORPUS = corpus();
    static final Path EXAMPLES = Path.of("src/main/fhir/examples");
    private static CanonicalValidator validator;

    @BeforeAll
    static void createValidator() {
        validator = CanonicalValidator.create();
    }

    /** The standard's own examples and the corpus's valid bundles. */
    static Stream<Path> validBundles() throws IOException {
        List<Path> bundles = new ArrayList<>();
        for (Path dir : List.of(EXAMPLES, CORPUS.resolve("valid"))) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".json")).sorted().forEach(bundles::add);
            }
        }
        return bundles.stream();
    }

    /** (file, rule, path) triples of the manifest; a file may appear on several lines. */
    static Stream<Arguments> invalidBundles() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (String line : Files.readAllLines(CORPUS.resolve("invalid/expected-issues.tsv"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t");
            cases.add(Arguments.of(columns[0], columns[1], columns.length > 2 ? columns[2] : ""));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validBundles")
    void validBundleHasNoErrors(Path bundle) throws IOException {
        OperationOutcome outcome = validator.validate(Files.readString(bundle));

        assertThat(ValidationIssue.of(outcome)).filteredOn(ValidationIssue::isError).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1} at {2}")
    @MethodSource("invalidBundles")
    void invalidBundleRaisesItsRule(String file, String rule, String path) throws IOException {
        OperationOutcome outcome = validator.validate(Files.readString(CORPUS.resolve("invalid").resolve(file)));

        List<ValidationIssue> errors = ValidationIssue.of(outcome).stream().filter(ValidationIssue::isError).toList();
        assertThat(errors).as("errors of %s", file)
                .anySatisfy(issue -> {
                    assertThat(issue.ruleId()).isEqualTo(rule);
                    assertThat(issue.expression()).isEqualTo(path.isEmpty() ? null : path);
                    assertThat(issue.message()).isNotBlank();
                    assertThat(issue.messageZh()).isNotBlank();
                });
    }

    private static Path corpus() {
        try {
            return Path.of(CanonicalValidatorCorpusTest.class.getResource("/corpus").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

}
