package io.yibao.adapter.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Envelope;
import io.yibao.adapter.EnvelopeSignature;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.Translation;
import io.yibao.standards.validation.CanonicalValidator;
import io.yibao.standards.validation.ValidationIssue;
import java.nio.file.Files;
import java.util.List;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

/**
 * The engine on single JSON messages (a national interface 2204 envelope): Jackson streaming, the whole document as
 * the record, an array as repeats, exact decimals from JSON numbers, a sum over the repetitions, JSON-pointer native
 * locations, strict UTF-8.
 */
class NhsaEnvelopeJsonMappingTest {
    private static final CanonicalValidator VALIDATOR = CanonicalValidator.create();
    private static final String HOSPITAL = "H11010500001";
    private final MappedAdapter adapter = MappingAdapters.load(MappingFixtures.folder("nhsa-fee-details"));

    private static Translation translate(MappedAdapter adapter, String sample) throws Exception {
        byte[] bytes = Files.readAllBytes(MappingFixtures.folder("nhsa-fee-details").resolve("samples").resolve(sample));
        return adapter.translate(new NativeMessage(bytes, "application/json", HOSPITAL), MappingFixtures.context(sample));
    }

    @Test
    void anEnvelopeBecomesAValidClaimWithOneItemPerFeeLine() throws Exception {
        assertThat(adapter.batches()).isEmpty();
        Translation translation = translate(adapter, "fee-details-2204.json");
        assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
        assertThat(translation.issues()).as("every populated field is mapped or deliberately ignored").isEmpty();
        assertThat(translation.sourceMessageId()).contains("H11010500001202611201020000001");
        assertThat(translation.claimedInstitutionCode()).contains(HOSPITAL);
        assertThat(translation.event()).contains("2204");
        OperationOutcome outcome = VALIDATOR.validate(translation.bundle().orElseThrow());
        assertThat(ValidationIssue.hasErrors(outcome)).as(ValidationIssue.of(outcome).toString()).isFalse();

        Claim claim = (Claim) translation.bundle().orElseThrow().getEntry().stream().filter(e -> e.getResource() instanceof Claim)
                .findFirst().orElseThrow().getResource();
        assertThat(claim.getItem()).hasSize(2);
        assertThat(claim.getItem()).extracting(i -> i.getSequence()).containsExactly(1, 2);
        Claim.ItemComponent first = claim.getItem().get(0);
        assertThat(first.getNet().getValue().toPlainString()).isEqualTo("25.00");
        assertThat(first.getQuantity().getValue().toPlainString()).isEqualTo("2.0000");
        assertThat(first.getUnitPrice().getValue().toPlainString()).isEqualTo("12.500000");
        assertThat(claim.getTotal().getValue().toPlainString()).isEqualTo("53.50");
        int entry = translation.bundle().orElseThrow().getEntry().indexOf(translation.bundle().orElseThrow().getEntry().stream()
                .filter(e -> e.getResource() instanceof Claim).findFirst().orElseThrow());
        assertThat(translation.nativeLocationOf("Bundle.entry[" + entry + "].resource.item[1].net.value"))
                .contains("/input/feedetail/1/det_item_fee_sumamt");
        assertThat(translation.nativeLocationOf("Bundle.entry[" + entry + "].resource.created")).contains("/inf_time");
    }

    @Test
    void theMappingDeclaresTheNationalEnvelopeSignatureAndOthersDeclareNone() {
        assertThat(adapter.envelopeSignature()).contains(EnvelopeSignature.NATIONAL);
        assertThat(MappingAdapters.load(MappingFixtures.folder("pharmacy-sales")).envelopeSignature()).isEmpty();
    }

    @Test
    void peekReadsMsgidAndInstitutionWithoutTranslating() throws Exception {
        byte[] bytes = Files.readAllBytes(MappingFixtures.folder("nhsa-fee-details").resolve("samples").resolve("fee-details-2204.json"));
        Envelope envelope = adapter.peek(new NativeMessage(bytes, "application/json", HOSPITAL));
        assertThat(envelope.sourceMessageId()).contains("H11010500001202611201020000001");
        assertThat(envelope.claimedInstitutionCode()).contains(HOSPITAL);
    }

    @Test
    void anAmountWithThreeDecimalsIsRejectedAtItsPointer() throws Exception {
        Translation translation = translate(adapter, "bad-amount-scale-2204.json");
        assertThat(translation.succeeded()).isFalse();
        List<ValidationIssue> errors = translation.issues().stream().filter(ValidationIssue::isError).toList();
        assertThat(errors).extracting(ValidationIssue::ruleId, ValidationIssue::location)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MappingIssues.PATTERN, "/input/feedetail/1/det_item_fee_sumamt"));
        assertThat(errors.get(0).message()).contains("'28.505'");
    }

    @Test
    void aGbkEnvelopeIsRejectedAsNotUtf8() throws Exception {
        Translation translation = translate(adapter, "bad-gbk-2204.json");
        assertThat(translation.succeeded()).isFalse();
        assertThat(translation.issues()).extracting(ValidationIssue::ruleId).containsExactly(MappingIssues.ENCODING);
        assertThat(translation.issues().get(0).message()).contains("UTF-8");
    }

    @Test
    void anotherInfnoIsRejectedNamingTheField() throws Exception {
        Translation translation = translate(adapter, "bad-infno-2207-2204.json");
        assertThat(translation.succeeded()).isFalse();
        assertThat(translation.issues()).filteredOn(ValidationIssue::isError).extracting(ValidationIssue::ruleId, ValidationIssue::location)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MappingIssues.PATTERN, "/infno"));
    }

    @Test
    void brokenJsonIsRejectedWithLineAndColumn() {
        Translation translation = adapter.translate(new NativeMessage("{\"infno\": \"2204\",\n \"msgid\": }".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json", HOSPITAL), MappingFixtures.context("broken"));
        assertThat(translation.succeeded()).isFalse();
        assertThat(translation.issues()).extracting(ValidationIssue::ruleId).containsExactly(MappingIssues.JSON_SYNTAX);
        assertThat(translation.issues().get(0).location()).startsWith("message, line 2, column");
    }
}
