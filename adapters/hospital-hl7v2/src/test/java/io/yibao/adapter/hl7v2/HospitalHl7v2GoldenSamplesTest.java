package io.yibao.adapter.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.yibao.adapter.Translation;
import io.yibao.standards.StandardPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden pairs: every {@code samples/<name>.hl7} is translated (fixed message id and clock), compared
 * with {@code expected/<name>.json} as a JSON tree (whitespace aside, decimals exact: 12.50 is not 12.5)
 * and validated against the standard. A new sample needs no new code. Run with
 * {@code -Dhl7.golden.write=true} to (re)write the expected files, then review the diff.
 */
class HospitalHl7v2GoldenSamplesTest {
    private static final Path SAMPLES = Path.of("src/test/resources/samples");
    private static final Path EXPECTED = Path.of("src/test/resources/expected");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static Stream<String> samples() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".hl7")).sorted().toList();
            assertThat(names).as("golden samples").isNotEmpty();
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void translatesToTheExpectedCanonicalMessageThatPassesTheStandard(String sample) throws IOException {
        Translation translation = Hl7TestSupport.translate(Files.readAllBytes(SAMPLES.resolve(sample)));

        assertThat(translation.issues()).as("a golden sample maps every field it carries: no errors, no warnings").isEmpty();
        assertThat(translation.bundle()).isPresent();
        Bundle bundle = translation.bundle().get();
        String actual = StandardPackage.load().fhirContext().newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle);
        Path expectedFile = EXPECTED.resolve(sample.replaceFirst("\\.hl7$", ".json"));
        if (Boolean.getBoolean("hl7.golden.write")) {
            Files.writeString(expectedFile, actual + "\n", StandardCharsets.UTF_8);
        }
        assertThat(expectedFile).as("expected file of " + sample).exists();
        JsonNode expectedTree = JSON.readTree(Files.readString(expectedFile, StandardCharsets.UTF_8));
        JsonNode actualTree = JSON.readTree(actual);
        assertThat(actualTree).as("canonical JSON of " + sample + ":\n" + actual).isEqualTo(expectedTree);

        assertThat(Hl7TestSupport.errors(Hl7TestSupport.validate(bundle))).as("CanonicalValidator errors").isEmpty();
        assertThat(translation.sourceMessageId()).isPresent();
        assertThat(translation.claimedInstitutionCode()).contains("H11010500001");
        assertThat(translation.event()).isPresent();
    }
}
