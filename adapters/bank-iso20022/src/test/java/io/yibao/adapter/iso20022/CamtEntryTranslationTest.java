package io.yibao.adapter.iso20022;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Envelope;
import io.yibao.adapter.NativeMessage;
import io.yibao.adapter.Translation;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.validation.ValidationIssue;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Translating one entry: each rule of the record level on a variation of the first entry of the golden
 * camt.054 sample, asserting the rule and the element's location; and the whole-document single message.
 */
class CamtEntryTranslationTest {
    private static final Path SAMPLES = Path.of("src/test/resources/samples");
    private static final String ENTRY = "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]";
    private static String goodEntry;

    @BeforeAll
    static void firstEntryOfTheGoldenNotification() throws IOException {
        goodEntry = new String(CamtTestSupport.records(SAMPLES.resolve("camt054-debit-notification.xml")).get(0).payload(),
                StandardCharsets.UTF_8);
    }

    private static Translation translate(String document) {
        return CamtTestSupport.translate(document.getBytes(StandardCharsets.UTF_8));
    }

    private static Translation translateWith(String from, String to) {
        assertThat(goodEntry).contains(from);
        return translate(goodEntry.replace(from, to));
    }

    private static ValidationIssue only(Translation translation, String rule) {
        assertThat(translation.issues()).as("issues").hasSize(1);
        ValidationIssue issue = translation.issues().get(0);
        assertThat(issue.ruleId()).isEqualTo(rule);
        assertThat(issue.message()).isNotBlank();
        assertThat(issue.messageZh()).isNotBlank();
        return issue;
    }

    @Test
    void theGoodEntryTranslatesAndNamesWhereEachElementCameFrom() {
        Translation translation = translate(goodEntry);

        assertThat(translation.succeeded()).isTrue();
        assertThat(translation.nativeLocationOf("Bundle.entry[1].resource.paymentAmount.value")).contains(ENTRY + "/Amt");
        assertThat(translation.nativeLocationOf("Bundle.entry[1].resource.detail[0].payee"))
                .contains(ENTRY + "/NtryDtls[1]/TxDtls[1]/RltdPties/Cdtr");
        assertThat(translation.nativeLocationOf("Bundle.timestamp")).contains("/Document/BkToCstmrDbtCdtNtfctn/GrpHdr/CreDtTm");
    }

    @Test
    void anEntryAmountInAnotherCurrencyIsRefusedAtItsCcy() {
        Translation translation = translateWith("<Amt Ccy=\"CNY\">100000.00</Amt>\n        <CdtDbtInd>DBIT",
                "<Amt Ccy=\"USD\">100000.00</Amt>\n        <CdtDbtInd>DBIT");

        assertThat(translation.bundle()).isEmpty();
        assertThat(only(translation, "iso20022-currency").location()).isEqualTo(ENTRY + "/Amt/@Ccy");
    }

    @Test
    void anAmountThatIsNotADecimalIsRefusedAtTheTransactionsAmt() {
        Translation translation = translateWith("<Amt Ccy=\"CNY\">100000.00</Amt>\n          <CdtDbtInd>",
                "<Amt Ccy=\"CNY\">100000,00</Amt>\n          <CdtDbtInd>");

        ValidationIssue issue = only(translation, "iso20022-amount");
        assertThat(issue.location()).isEqualTo(ENTRY + "/NtryDtls[1]/TxDtls[1]/Amt");
        assertThat(issue.message()).contains("'100000,00'");
    }

    @Test
    void transactionsThatDoNotAddUpToTheEntryAmountAreRefusedAtTheEntryAmt() {
        Translation translation = translateWith("<Amt Ccy=\"CNY\">100000.00</Amt>\n          <CdtDbtInd>",
                "<Amt Ccy=\"CNY\">99999.99</Amt>\n          <CdtDbtInd>");

        ValidationIssue issue = only(translation, "iso20022-amount");
        assertThat(issue.location()).isEqualTo(ENTRY + "/Amt");
        assertThat(issue.message()).contains("100000.00").contains("99999.99");
    }

    @Test
    void aPopulatedElementThatNothingMapsIsAWarningNamingItAndTheEntryStillTranslates() {
        Translation translation = translateWith("<RmtInf>", "<Refs><EndToEndId>E2E-0001</EndToEndId></Refs><RmtInf>");

        assertThat(translation.succeeded()).isTrue();
        ValidationIssue issue = only(translation, "iso20022-unmapped");
        assertThat(issue.severity()).isEqualTo(IssueSeverity.WARNING);
        assertThat(issue.location()).isEqualTo(ENTRY + "/NtryDtls[1]/TxDtls[1]/Refs/EndToEndId");
    }

    @Test
    void aDebitEntryWithoutTheCreditorsInstitutionCodeIsRefusedThere() {
        Translation translation = translateWith("<Id><OrgId><Othr><Id>H11010500001</Id></Othr></OrgId></Id>", "");

        assertThat(only(translation, "iso20022-required").location())
                .isEqualTo(ENTRY + "/NtryDtls[1]/TxDtls[1]/RltdPties/Cdtr/Pty/Id/OrgId/Othr/Id");
    }

    @Test
    void anInformationOnlyEntryIsNotAPayment() {
        Translation translation = translateWith("<Cd>BOOK</Cd>", "<Cd>INFO</Cd>");

        assertThat(only(translation, "iso20022-value").location()).isEqualTo(ENTRY + "/Sts/Cd");
    }

    @Test
    void aWholeFileSentAsOneMessageIsReferredToTheBatchEndpoint() throws IOException {
        Translation translation = CamtTestSupport.translate(Files.readAllBytes(SAMPLES.resolve("camt054-debit-notification.xml")));

        ValidationIssue issue = only(translation, "iso20022-entry-count");
        assertThat(issue.location()).isEqualTo("/Document/BkToCstmrDbtCdtNtfctn");
        assertThat(issue.message()).contains("2 entries").contains("POST /api/v1/batches/bank-iso20022");
        assertThat(issue.messageZh()).contains("POST /api/v1/batches/bank-iso20022");
    }

    @Test
    void aDocumentThatIsNotIso20022OrNotACamtWeReadIsRefused() throws IOException {
        Path check = Path.of("src/test/resources/check");
        assertThat(only(CamtTestSupport.translate(Files.readAllBytes(check.resolve("not-iso20022.xml"))), "iso20022-not-iso20022")
                .location()).isNotBlank();
        assertThat(only(CamtTestSupport.translate(Files.readAllBytes(check.resolve("unsupported-pain001.xml"))), "iso20022-message-type")
                .location()).isEqualTo("/Document");
        assertThat(only(translate("<Document><unclosed></Document>"), "iso20022-not-iso20022").location()).isEqualTo("line 1");
    }

    @Test
    void aOneEntryDocumentDeclaredGb18030TranslatesLikeItsUtf8Twin() {
        Charset gb18030 = Charset.forName("GB18030");
        byte[] declaredGb18030 = goodEntry.replaceFirst("encoding=\"UTF-8\"", "encoding=\"GB18030\"").getBytes(gb18030);
        assertThat(new String(declaredGb18030, gb18030)).contains("encoding=\"GB18030\"");

        Translation fromGb18030 = CamtTestSupport.translate(declaredGb18030);
        Translation fromUtf8 = translate(goodEntry);

        var json = StandardPackage.load().fhirContext().newJsonParser();
        assertThat(fromGb18030.succeeded()).isTrue();
        assertThat(json.encodeResourceToString(fromGb18030.bundle().orElseThrow()))
                .contains("测试第一人民医院")
                .isEqualTo(json.encodeResourceToString(fromUtf8.bundle().orElseThrow()));
    }

    @Test
    void peekReadsTheBankSerialAndTheAccountServicer() {
        Envelope envelope = CamtTestSupport.ADAPTER.peek(new NativeMessage(goodEntry.getBytes(StandardCharsets.UTF_8),
                CamtEntryRecords.CONTENT_TYPE, "B11010500003"));

        assertThat(envelope.sourceMessageId()).contains("BK20261126000000123");
        assertThat(envelope.claimedInstitutionCode()).contains("B11010500003");
    }
}
