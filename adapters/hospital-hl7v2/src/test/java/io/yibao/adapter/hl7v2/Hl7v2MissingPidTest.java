package io.yibao.adapter.hl7v2;

import static io.yibao.adapter.hl7v2.Hl7TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Translation;
import org.junit.jupiter.api.Test;

/** A message without PID: an error naming the segment, no bundle, the MSH keys still reported. */
class Hl7v2MissingPidTest {

    @Test
    void aMissingPidIsAnErrorNamingPid() {
        Translation translation = translate(MSH, EVN, PV1, IN1);

        assertThat(translation.bundle()).isEmpty();
        assertThat(translation.succeeded()).isFalse();
        assertThat(issueAt(translation, "PID")).hasValueSatisfying(issue -> {
            assertThat(issue.isError()).isTrue();
            assertThat(issue.ruleId()).isEqualTo(Issues.REQUIRED);
            assertThat(issue.message()).contains("PID");
        });
        assertThat(translation.sourceMessageId()).contains("T0001");
        assertThat(translation.claimedInstitutionCode()).contains("H11010500001");
    }

    @Test
    void aMissingRequiredFieldIsAnErrorNamingTheField() {
        Translation translation = translate(MSH, EVN, "PID|1||110105198001010016^^^^ID||张^三测试||19800101", PV1, IN1);

        assertThat(translation.bundle()).isEmpty();
        assertThat(issueAt(translation, "PID-8")).hasValueSatisfying(i -> assertThat(i.isError()).isTrue());
    }
}
