package io.yibao.adapter.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.Translation;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.PaymentReconciliation;
import org.junit.jupiter.api.Test;

/** The engine on a GBK fixed-width bank result file: Chinese names in byte columns, a cut character, control totals. */
class BankFixedWidthMappingTest {
    private final MappedAdapter adapter = MappingAdapters.load(MappingFixtures.folder("bank-results"));

    private Path sample(String name) {
        return MappingFixtures.folder("bank-results").resolve("samples").resolve(name);
    }

    private BatchCheck check(String name) throws Exception {
        return adapter.batches().orElseThrow().check(MappingFixtures.batch(sample(name), "B11010500003"));
    }

    @Test
    void chineseNamesInByteColumnsBecomeValidPaymentReconciliations() throws Exception {
        BatchCheck check = check("results-gbk.txt");
        assertThat(check.accepted()).as(check.issues().toString()).isTrue();
        assertThat(check.records()).isEqualTo(2);
        assertThat(check.claimedInstitutionCode()).contains("B11010500003");
        assertThat(check.batchReference()).contains("PB00000001");
        List<BatchRecord> records = MappingFixtures.records(adapter, MappingFixtures.batch(sample("results-gbk.txt"), "B11010500003"));
        assertThat(records).extracting(BatchRecord::location).containsExactly("record 1 (line 2)", "record 2 (line 3)");
        Translation translation = MappingFixtures.translate(adapter, records.get(1));
        assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
        OperationOutcome outcome = CanonicalValidator.create().validate(translation.bundle().orElseThrow());
        assertThat(ValidationIssue.hasErrors(outcome)).as(ValidationIssue.of(outcome).toString()).isFalse();
        PaymentReconciliation payment = (PaymentReconciliation) translation.bundle().orElseThrow().getEntry().get(1).getResource();
        assertThat(payment.getPaymentAmount().getValue().toPlainString()).isEqualTo("28460.35");
        Organization payee = (Organization) translation.bundle().orElseThrow().getEntry().get(2).getResource();
        assertThat(payee.getName()).isEqualTo("测试大药房朝阳店");
        assertThat(translation.nativeLocationOf("Bundle.entry[1].resource.paymentAmount.value"))
                .contains("record 2 (line 3), bytes 46-57 (amount)");
    }

    @Test
    void aWidthThatCutsAChineseCharacterIsAnErrorNamingTheField() throws Exception {
        List<BatchRecord> records = MappingFixtures.records(adapter, MappingFixtures.batch(sample("results-cut.txt"), "B11010500003"));
        Translation translation = MappingFixtures.translate(adapter, records.get(0));
        assertThat(translation.succeeded()).isFalse();
        assertThat(translation.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.ruleId()).isEqualTo("map-fixed-cut");
            assertThat(issue.location()).isEqualTo("record 1 (line 2), bytes 26-45 (payee_name)");
        });
    }

    @Test
    void aWrongTrailerCountRejectsTheBatchNamingExpectedAndActual() throws Exception {
        BatchCheck check = check("results-wrong-count.txt");
        assertThat(check.accepted()).isFalse();
        assertThat(check.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.ruleId()).isEqualTo("map-control-count");
            assertThat(issue.location()).isEqualTo("results-wrong-count.txt, trailer (line 4), bytes 2-7 (record_count)");
            assertThat(issue.message()).contains("says 000003 records, the file has 2");
        });
    }

    @Test
    void aWrongTrailerSumRejectsTheBatchNamingExpectedAndActual() throws Exception {
        BatchCheck check = check("results-wrong-sum.txt");
        assertThat(check.accepted()).isFalse();
        assertThat(check.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.ruleId()).isEqualTo("map-control-sum");
            assertThat(issue.message()).contains("says 128460.36", "is 128460.35");
        });
    }
}
