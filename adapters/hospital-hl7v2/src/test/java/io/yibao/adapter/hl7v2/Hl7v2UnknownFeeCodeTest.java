package io.yibao.adapter.hl7v2;

import static io.yibao.adapter.hl7v2.Hl7TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Translation;
import io.yibao.standards.validation.ValidationIssue;
import org.junit.jupiter.api.Test;

/** A local fee code the ConceptMap does not know: an error naming FT1-7 and the code, never passed through. */
class Hl7v2UnknownFeeCodeTest {

    @Test
    void anUnknownLocalFeeCodeIsAnErrorNamingFt17AndTheCode() {
        Translation translation = translate(
                "MSH|^~\\&|HIS|H11010500001|||20261120103005||DFT^P03|F0002|P|2.5||||||UNICODE UTF-8",
                "EVN|P03|20261120102000", PID,
                "PV1|1|O||||||||||||||||11|MDT20261120000001|||||||||||||||||||||||||20261120090000",
                "FT1|1|FD0001|CB1|20261120093000||09|A0001|||2|25.00|12.50",
                "FT1|2|FD0002|CB1|20261120093000||04|X9999^未对照项目|||1|8.00|8.00",
                IN1);

        assertThat(translation.bundle()).isEmpty();
        ValidationIssue issue = issueAt(translation, "FT1-7").orElseThrow();
        assertThat(issue.isError()).isTrue();
        assertThat(issue.ruleId()).isEqualTo(Issues.UNKNOWN_CODE);
        assertThat(issue.message()).contains("'X9999'").contains("FT1 #2");
        assertThat(translation.issues()).filteredOn(ValidationIssue::isError).hasSize(1);
    }
}
