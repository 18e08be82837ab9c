package io.yibao.adapter.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.Translation;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine on a pharmacy sales CSV: encodings with and without BOM, quoted line breaks, three bad rows among many. */
class PharmacyCsvMappingTest {
    private static final CanonicalValidator VALIDATOR = CanonicalValidator.create();
    private final MappedAdapter adapter = MappingAdapters.load(MappingFixtures.folder("pharmacy-sales"));

    @ParameterizedTest
    @ValueSource(strings = {"sales-utf8-bom.csv", "sales-gbk.csv"})
    void bothEncodingsGiveValidCanonicalMessages(String sample) throws Exception {
        Path file = MappingFixtures.folder("pharmacy-sales").resolve("samples").resolve(sample);
        BatchCheck check = adapter.batches().orElseThrow().check(MappingFixtures.batch(file, "P11010500002"));
        assertThat(check.accepted()).as(check.issues().toString()).isTrue();
        assertThat(check.records()).isEqualTo(2);
        assertThat(check.claimedInstitutionCode()).contains("P11010500002");

        List<BatchRecord> records = MappingFixtures.records(adapter, MappingFixtures.batch(file, "P11010500002"));
        assertThat(records).extracting(BatchRecord::location).containsExactly("lines 2-3", "line 4");
        assertThat(records).extracting(r -> r.sourceRecordId().orElseThrow()).containsExactly("XS20261121001-1", "XS20261121001-2");
        for (BatchRecord record : records) {
            Translation translation = MappingFixtures.translate(adapter, record);
            assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
            OperationOutcome outcome = VALIDATOR.validate(translation.bundle().orElseThrow());
            assertThat(ValidationIssue.hasErrors(outcome)).as(ValidationIssue.of(outcome).toString()).isFalse();
        }
        Translation first = MappingFixtures.translate(adapter, records.get(0));
        MedicationDispense dispense = (MedicationDispense) first.bundle().orElseThrow().getEntry().stream()
                .filter(e -> e.getResource() instanceof MedicationDispense).findFirst().orElseThrow().getResource();
        assertThat(dispense.getNoteFirstRep().getText()).isEqualTo("饭后服用, 每日三次\r\n第二行备注");
        assertThat(dispense.getMedicationCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("XJ01CAA040A001010104433");
        Claim claim = (Claim) first.bundle().orElseThrow().getEntry().stream()
                .filter(e -> e.getResource() instanceof Claim).findFirst().orElseThrow().getResource();
        assertThat(claim.getItemFirstRep().getUnitPrice().getValue()).isEqualByComparingTo("23.8")
                .extracting(BigDecimal::scale).isEqualTo(6);
        assertThat(claim.getTotal().getValue().toPlainString()).isEqualTo("47.60");
        assertThat(first.nativeLocationOf("Bundle.entry[4].resource.quantity.value")).contains("line 2, column 数量");
    }

    @Test
    void threeBadRowsAmongManyAreRejectedWithRowAndRule() throws Exception {
        Path file = MappingFixtures.folder("pharmacy-sales").resolve("samples").resolve("sales-many-three-bad.csv");
        BatchCheck check = adapter.batches().orElseThrow().check(MappingFixtures.batch(file, "P11010500002"));
        assertThat(check.accepted()).isTrue();
        assertThat(check.records()).isEqualTo(30);
        Map<Long, String> failed = new TreeMap<>();
        int succeeded = 0;
        for (BatchRecord record : MappingFixtures.records(adapter, MappingFixtures.batch(file, "P11010500002"))) {
            Translation translation = MappingFixtures.translate(adapter, record);
            if (translation.succeeded()) {
                succeeded++;
                OperationOutcome outcome = VALIDATOR.validate(translation.bundle().orElseThrow());
                assertThat(ValidationIssue.hasErrors(outcome)).as(ValidationIssue.of(outcome).toString()).isFalse();
            } else {
                ValidationIssue error = translation.issues().stream().filter(ValidationIssue::isError).findFirst().orElseThrow();
                failed.put(record.number(), error.ruleId() + " @ " + error.location());
            }
        }
        assertThat(succeeded).isEqualTo(27);
        assertThat(failed).containsExactly(
                Map.entry(5L, "map-required @ line 6, column 销售单号"),
                Map.entry(12L, "map-unknown-code @ line 13, column 商品编码"),
                Map.entry(20L, "map-csv-columns @ line 21"));
    }
}
