package io.yibao.adapter.iso20022;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.BatchCheck;
import io.yibao.standards.validation.ValidationIssue;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The file-level check of camt files: control totals, message type, currency, batch reference and institution. */
class CamtFileCheckTest {
    private static final Path FILES = Path.of("src/test/resources/check");
    private final CamtFileCheck check = new CamtFileCheck();

    private BatchCheck check(String name) throws IOException {
        return check.check(FILES.resolve(name));
    }

    @Test
    void aCamt054WhoseTotalsHoldIsAcceptedWithItsReferenceAndServicer() throws IOException {
        BatchCheck result = check("camt054-good.xml");
        assertThat(result.issues()).isEmpty();
        assertThat(result.accepted()).isTrue();
        assertThat(result.records()).isEqualTo(2);
        assertThat(result.batchReference()).contains("NTF20261126000001");
        assertThat(result.claimedInstitutionCode()).contains("B11010500003");
    }

    @Test
    void aCamt053DeclaredGb18030IsReadInItsEncoding() throws IOException {
        BatchCheck result = check("camt053-gb18030.xml");
        assertThat(result.issues()).isEmpty();
        assertThat(result.records()).isEqualTo(2);
        assertThat(result.batchReference()).contains("STM20261126000001");
    }

    @Test
    void aWrongNumberOfEntriesNamesTheElementTheStatedAndTheCountedValue() throws IOException {
        BatchCheck result = check("camt054-wrong-nb-of-ntries.xml");
        assertThat(result.accepted()).isFalse();
        assertThat(result.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.ruleId()).isEqualTo("iso20022-control-total");
            assertThat(issue.location()).isEqualTo("/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/TxsSummry/TtlNtries/NbOfNtries");
            assertThat(issue.message()).contains("states 3").contains("give 2");
            assertThat(issue.messageZh()).contains("3").contains("2");
        });
    }

    @Test
    void aWrongSumIsAnErrorOnEverySummaryThatStatesIt() throws IOException {
        BatchCheck result = check("camt054-wrong-sum.xml");
        assertThat(result.accepted()).isFalse();
        assertThat(result.issues()).extracting(ValidationIssue::location).containsExactly(
                "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/TxsSummry/TtlNtries/Sum",
                "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/TxsSummry/TtlDbtNtries/Sum");
        assertThat(result.issues().get(0).message()).contains("128460.53").contains("128460.35");
    }

    @Test
    void aClosingBalanceThatOpeningPlusEntriesDoesNotGiveIsAnError() throws IOException {
        BatchCheck result = check("camt053-wrong-closing-balance.xml");
        assertThat(result.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.ruleId()).isEqualTo("iso20022-control-total");
            assertThat(issue.location()).isEqualTo("/Document/BkToCstmrStmt/Stmt[1]/Bal[2]/Amt");
            assertThat(issue.message()).contains("371593.65").contains("371539.65");
        });
    }

    @Test
    void anAmountInAnotherCurrencyIsAnErrorAtItsCcyAttribute() throws IOException {
        BatchCheck result = check("camt054-wrong-currency.xml");
        assertThat(result.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.ruleId()).isEqualTo("iso20022-currency");
            assertThat(issue.location()).isEqualTo("/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/Amt/@Ccy");
        });
    }

    @Test
    void xmlThatIsNotIso20022IsRejected() throws IOException {
        BatchCheck result = check("not-iso20022.xml");
        assertThat(result.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.ruleId()).isEqualTo("iso20022-not-iso20022");
            assertThat(issue.location()).isEqualTo("/Statement");
        });
    }

    @Test
    void anIso20022MessageOtherThanCamt053Or054IsUnsupported() throws IOException {
        BatchCheck result = check("unsupported-pain001.xml");
        assertThat(result.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.ruleId()).isEqualTo("iso20022-message-type");
            assertThat(issue.message()).contains("pain.001.001.09");
        });
    }
}
