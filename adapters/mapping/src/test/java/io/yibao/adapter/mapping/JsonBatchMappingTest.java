package io.yibao.adapter.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.Translation;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on a JSON batch: records streamed from an array at a JSON pointer, file-level fields before and after
 * the records (a trailer object with the control totals), an undeclared member reported at its pointer.
 */
class JsonBatchMappingTest {
    private static final CanonicalValidator VALIDATOR = CanonicalValidator.create();
    private static final String TAX_OFFICE = "T11010500004";
    private final MappedAdapter adapter = MappingAdapters.load(MappingFixtures.folder("tax-contributions-json"));
    private final Path sample = MappingFixtures.folder("tax-contributions-json").resolve("samples").resolve("contributions.json");

    @Test
    void recordsOfAnArrayAreCheckedAgainstTheTrailerAndTranslated() throws Exception {
        BatchCheck check = adapter.batches().orElseThrow().check(MappingFixtures.batch(sample, TAX_OFFICE));
        assertThat(check.accepted()).as(check.issues().toString()).isTrue();
        assertThat(check.records()).isEqualTo(2);
        assertThat(check.claimedInstitutionCode()).contains(TAX_OFFICE);
        assertThat(check.batchReference()).contains("JF202611230101");

        List<BatchRecord> records = MappingFixtures.records(adapter, MappingFixtures.batch(sample, TAX_OFFICE));
        assertThat(records).extracting(BatchRecord::location).containsExactly("/jlxx/0", "/jlxx/1");
        assertThat(records).extracting(r -> r.sourceRecordId().orElseThrow()).containsExactly("SP32611050000012345", "SP32611050000012346");
        for (BatchRecord record : records) {
            Translation translation = MappingFixtures.translate(adapter, record);
            assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
            OperationOutcome outcome = VALIDATOR.validate(translation.bundle().orElseThrow());
            assertThat(ValidationIssue.hasErrors(outcome)).as(ValidationIssue.of(outcome).toString()).isFalse();
        }
        Translation second = MappingFixtures.translate(adapter, records.get(1));
        assertThat(second.issues()).extracting(ValidationIssue::ruleId, ValidationIssue::location)
                .containsExactly(tuple(MappingIssues.UNMAPPED, "/jlxx/1/bz"));
    }

    @Test
    void aTrailerCountThatDoesNotMatchRejectsTheBatch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wrong-count.json");
        Files.writeString(file, Files.readString(sample).replace("\"zbs\": 2", "\"zbs\": 3"));
        BatchCheck check = adapter.batches().orElseThrow().check(MappingFixtures.batch(file, TAX_OFFICE));
        assertThat(check.accepted()).isFalse();
        assertThat(check.issues()).extracting(ValidationIssue::ruleId, ValidationIssue::location)
                .containsExactly(tuple(MappingIssues.CONTROL_COUNT, "wrong-count.json, /hz/zbs"));
    }

    @Test
    void aJsonSyntaxErrorRejectsTheBatch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, Files.readString(sample).replace("\"hj\": 380.00,", "\"hj\": 380.00,,"));
        BatchCheck check = adapter.batches().orElseThrow().check(MappingFixtures.batch(file, TAX_OFFICE));
        assertThat(check.accepted()).isFalse();
        assertThat(check.issues()).extracting(ValidationIssue::ruleId).containsExactly(MappingIssues.JSON_SYNTAX);
        assertThat(check.issues().get(0).location()).startsWith("broken.json, line 11, column");
    }
}
