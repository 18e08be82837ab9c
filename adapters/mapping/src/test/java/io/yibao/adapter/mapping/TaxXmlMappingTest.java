package io.yibao.adapter.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.Translation;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Invoice;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine on XML batches (a tax bureau's contribution export): StAX streaming, a namespace, the XML
 * declaration's encoding (UTF-8, GBK, GB18030), batch header fields, repeated child elements as repeats,
 * control count and sum in the header, XPath-like native locations.
 */
class TaxXmlMappingTest {
    private static final CanonicalValidator VALIDATOR = CanonicalValidator.create();
    private static final String TAX_OFFICE = "T11010500004";
    private final MappedAdapter adapter = MappingAdapters.load(MappingFixtures.folder("tax-contributions"));

    private static Path sample(String name) {
        return MappingFixtures.folder("tax-contributions").resolve("samples").resolve(name);
    }

    @ParameterizedTest
    @CsvSource({"contributions-utf8.xml, 3, UTF-8", "contributions-gbk.xml, 2, GBK", "contributions-gb18030.xml, 1, GB18030"})
    void everyDeclaredEncodingGivesValidCanonicalMessages(String name, int count, String encoding) throws Exception {
        BatchCheck check = adapter.batches().orElseThrow().check(MappingFixtures.batch(sample(name), TAX_OFFICE));
        assertThat(check.accepted()).as(check.issues().toString()).isTrue();
        assertThat(check.records()).isEqualTo(count);
        assertThat(check.claimedInstitutionCode()).contains(TAX_OFFICE);
        assertThat(check.batchReference()).hasValueSatisfying(b -> assertThat(b).startsWith("JF2026112300"));

        List<BatchRecord> records = MappingFixtures.records(adapter, MappingFixtures.batch(sample(name), TAX_OFFICE));
        assertThat(records).hasSize(count);
        assertThat(records.get(0).location()).isEqualTo("/j:jfxx/j:jlxx/j:jl[1]");
        for (BatchRecord record : records) {
            assertThat(new String(record.payload(), StandardCharsets.UTF_8)).contains("\"encoding\":\"" + encoding + "\"");
            Translation translation = MappingFixtures.translate(adapter, record);
            assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
            assertThat(translation.issues()).as("no unmapped field").isEmpty();
            assertThat(translation.claimedInstitutionCode()).contains(TAX_OFFICE);
            OperationOutcome outcome = VALIDATOR.validate(translation.bundle().orElseThrow());
            assertThat(ValidationIssue.hasErrors(outcome)).as(ValidationIssue.of(outcome).toString()).isFalse();
        }
    }

    @Test
    void chineseNamesAndRepeatedPartsSurviveGbk() throws Exception {
        List<BatchRecord> records = MappingFixtures.records(adapter, MappingFixtures.batch(sample("contributions-gbk.xml"), TAX_OFFICE));
        Translation first = MappingFixtures.translate(adapter, records.get(0));
        assertThat(first.sourceMessageId()).contains("SP32611050000012345");
        Patient payer = resource(first, Patient.class);
        assertThat(payer.getNameFirstRep().getText()).isEqualTo("孙丽测试");
        assertThat(payer.getBirthDateElement().getValueAsString()).isEqualTo("1985-03-12");
        Invoice contribution = resource(first, Invoice.class);
        assertThat(contribution.getLineItemFirstRep().getPriceComponent()).hasSize(2);
        assertThat(contribution.getLineItemFirstRep().getPriceComponent().get(1).getCode().getCodingFirstRep().getCode()).isEqualTo("employer");
        assertThat(contribution.getLineItemFirstRep().getPriceComponent().get(1).getAmount().getValue().toPlainString()).isEqualTo("745.60");
        assertThat(contribution.getTotalGross().getValue().toPlainString()).isEqualTo("932.00");
        int invoice = entryIndex(first, Invoice.class);
        assertThat(first.nativeLocationOf("Bundle.entry[" + invoice + "].resource.lineItem[0].priceComponent[1].amount.value"))
                .contains("/j:jfxx/j:jlxx/j:jl[1]/j:jfmx[2]/j:je");
        assertThat(first.nativeLocationOf("Bundle.entry[" + invoice + "].resource.totalGross.value")).contains("/j:jfxx/j:jlxx/j:jl[1]/j:hj");
    }

    @Test
    void aHeaderCountThatDoesNotMatchRejectsTheBatch() throws Exception {
        BatchCheck check = adapter.batches().orElseThrow().check(MappingFixtures.batch(sample("bad-wrong-count.xml"), TAX_OFFICE));
        assertThat(check.accepted()).isFalse();
        assertThat(check.issues()).extracting(ValidationIssue::ruleId).containsExactly(MappingIssues.CONTROL_COUNT);
        assertThat(check.issues().get(0).location()).isEqualTo("bad-wrong-count.xml, /j:jfxx/j:pcxx/j:zbs");
        assertThat(check.issues().get(0).message()).contains("says 3 records, the file has 2");
    }

    @Test
    void aHeaderTotalThatDoesNotMatchRejectsTheBatch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wrong-total.xml");
        Files.writeString(file, Files.readString(sample("contributions-utf8.xml")).replace("<zje>2363.00</zje>", "<zje>2363.01</zje>"));
        BatchCheck check = adapter.batches().orElseThrow().check(MappingFixtures.batch(file, TAX_OFFICE));
        assertThat(check.issues()).extracting(ValidationIssue::ruleId).containsExactly(MappingIssues.CONTROL_SUM);
        assertThat(check.issues().get(0).message()).contains("says 2363.01, the sum of parts.amount over the records is 2363.00");
    }

    @Test
    void aBadResidentIdCheckCharacterFailsValidationOfThatRecordOnly() throws Exception {
        List<BatchRecord> records = MappingFixtures.records(adapter, MappingFixtures.batch(sample("bad-resident-id-check.xml"), TAX_OFFICE));
        assertThat(records).hasSize(2);
        OperationOutcome good = VALIDATOR.validate(MappingFixtures.translate(adapter, records.get(0)).bundle().orElseThrow());
        assertThat(ValidationIssue.hasErrors(good)).isFalse();
        Translation bad = MappingFixtures.translate(adapter, records.get(1));
        List<ValidationIssue> issues = ValidationIssue.of(VALIDATOR.validate(bad.bundle().orElseThrow()));
        assertThat(issues).filteredOn(ValidationIssue::isError).extracting(ValidationIssue::ruleId).contains("yb-rid-check");
    }

    @Test
    void anUnknownInsutypeFailsValidationOfThatRecord() throws Exception {
        List<BatchRecord> records = MappingFixtures.records(adapter, MappingFixtures.batch(sample("bad-unknown-insutype.xml"), TAX_OFFICE));
        Translation bad = MappingFixtures.translate(adapter, records.get(0));
        List<ValidationIssue> issues = ValidationIssue.of(VALIDATOR.validate(bad.bundle().orElseThrow()));
        assertThat(issues).filteredOn(ValidationIssue::isError).isNotEmpty()
                .allSatisfy(i -> assertThat(i.message()).contains("315"));
        OperationOutcome good = VALIDATOR.validate(MappingFixtures.translate(adapter, records.get(1)).bundle().orElseThrow());
        assertThat(ValidationIssue.hasErrors(good)).isFalse();
    }

    @Test
    void malformedXmlRejectsTheBatchNamingLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.xml");
        Files.writeString(file, Files.readString(sample("contributions-utf8.xml")).replace("</xm>", "</xmm>"));
        BatchCheck check = adapter.batches().orElseThrow().check(MappingFixtures.batch(file, TAX_OFFICE));
        assertThat(check.accepted()).isFalse();
        assertThat(check.issues()).extracting(ValidationIssue::ruleId).containsExactly(MappingIssues.XML_SYNTAX);
        assertThat(check.issues().get(0).location()).startsWith("broken.xml, line 18, column");
    }

    @Test
    void anUndeclaredElementIsReportedUnmappedAtItsPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("extra.xml");
        Files.writeString(file, Files.readString(sample("contributions-utf8.xml")).replaceFirst("<cbdq>", "<bz>补缴</bz><cbdq>"));
        BatchRecord first = MappingFixtures.records(adapter, MappingFixtures.batch(file, TAX_OFFICE)).get(0);
        Translation translation = MappingFixtures.translate(adapter, first);
        assertThat(translation.succeeded()).isTrue();
        assertThat(translation.issues()).extracting(ValidationIssue::ruleId, ValidationIssue::location)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MappingIssues.UNMAPPED, "/j:jfxx/j:jlxx/j:jl[1]/j:bz"));
    }

    @Test
    void aDoctypeIsRefused(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "secret");
        Path file = dir.resolve("xxe.xml");
        Files.writeString(file, Files.readString(sample("contributions-utf8.xml"))
                .replace("<!-- Synthetic", "<!DOCTYPE jfxx [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n<!-- Synthetic")
                .replace("<xm>孙丽测试</xm>", "<xm>&x;</xm>"));
        BatchCheck check = adapter.batches().orElseThrow().check(MappingFixtures.batch(file, TAX_OFFICE));
        assertThat(check.accepted()).isFalse();
        assertThat(check.issues()).extracting(ValidationIssue::ruleId).containsExactly(MappingIssues.XML_SYNTAX);
    }

    private static <T> T resource(Translation translation, Class<T> type) {
        return type.cast(translation.bundle().orElseThrow().getEntry().stream().filter(e -> type.isInstance(e.getResource()))
                .findFirst().orElseThrow().getResource());
    }

    private static int entryIndex(Translation translation, Class<?> type) {
        var entries = translation.bundle().orElseThrow().getEntry();
        for (int i = 0; i < entries.size(); i++) {
            if (type.isInstance(entries.get(i).getResource())) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName());
    }
}
