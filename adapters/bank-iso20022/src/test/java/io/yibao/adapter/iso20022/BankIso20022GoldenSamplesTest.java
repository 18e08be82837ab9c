package io.yibao.adapter.iso20022;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.BatchRecord;
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
 * The golden files: every {@code samples/<name>.xml} goes the batch way (file check accepted, split into
 * records, each record translated with a fixed message id and clock); the canonical messages, one per
 * entry, are compared with the JSON array {@code expected/<name>.json} as JSON trees (decimals exact:
 * 100000.00 is not 1.0E5) and each is validated against the standard. A new sample needs no new code. Run
 * with {@code -Dcamt.golden.write=true} to (re)write the expected files, then review the diff.
 */
class BankIso20022GoldenSamplesTest {
    private static final Path SAMPLES = Path.of("src/test/resources/samples");
    private static final Path EXPECTED = Path.of("src/test/resources/expected");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static Stream<String> samples() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml")).sorted().toList();
            assertThat(names).as("golden samples").contains("camt054-debit-notification.xml", "camt053-statement-gb18030.xml");
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void eachEntryTranslatesToTheExpectedCanonicalMessageThatPassesTheStandard(String sample) throws IOException {
        Path file = SAMPLES.resolve(sample);
        BatchCheck check = CamtTestSupport.ADAPTER.batches().orElseThrow().check(new BatchFile(file, sample, "application/xml", "B11010500003"));
        assertThat(check.issues()).as("file check of " + sample).isEmpty();
        List<BatchRecord> records = CamtTestSupport.records(file);
        assertThat(records).hasSize((int) check.records());

        ArrayNode actual = JSON.createArrayNode();
        for (BatchRecord record : records) {
            Translation translation = CamtTestSupport.translate(record.payload());
            assertThat(translation.issues()).as("a golden sample maps every element it carries: no errors, no warnings (" + record.location() + ")")
                    .isEmpty();
            Bundle bundle = translation.bundle().orElseThrow();
            assertThat(CamtTestSupport.validationErrors(bundle)).as("CanonicalValidator errors of " + record.location()).isEmpty();
            assertThat(translation.sourceMessageId()).isEqualTo(record.sourceRecordId());
            assertThat(translation.claimedInstitutionCode()).contains("B11010500003");
            assertThat(translation.event()).contains("bank-payment");
            actual.add(JSON.readTree(StandardPackage.load().fhirContext().newJsonParser().encodeResourceToString(bundle)));
        }
        Path expectedFile = EXPECTED.resolve(sample.replaceFirst("\\.xml$", ".json"));
        if (Boolean.getBoolean("camt.golden.write")) {
            Files.writeString(expectedFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n", StandardCharsets.UTF_8);
        }
        assertThat(expectedFile).as("expected file of " + sample).exists();
        JsonNode expectedTree = JSON.readTree(Files.readString(expectedFile, StandardCharsets.UTF_8));
        assertThat((JsonNode) actual).as("canonical JSON of " + sample + ":\n" + actual.toPrettyString()).isEqualTo(expectedTree);
    }
}
