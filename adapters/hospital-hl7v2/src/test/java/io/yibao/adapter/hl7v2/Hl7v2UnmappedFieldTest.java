package io.yibao.adapter.hl7v2;

import static io.yibao.adapter.hl7v2.Hl7TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Translation;
import org.junit.jupiter.api.Test;

/** Populated fields nothing maps: warnings naming each field, never dropped silently. */
class Hl7v2UnmappedFieldTest {

    @Test
    void populatedFieldsNothingMapsAreWarningsNamingTheField() {
        Translation translation = translate(MSH, EVN,
                "PID|1||110105198001010016^^^^ID||张^三测试||19800101|M|||朝阳路1号^^北京^^100020||13800000000",
                PV1.replace("PV1|1|O|", "PV1|1|O|门诊3诊室"), IN1);

        assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
        assertThat(warnings(translation)).extracting(i -> i.location()).containsExactly("PID-11", "PID-13", "PV1-3");
        assertThat(issueAt(translation, "PID-11").orElseThrow().ruleId()).isEqualTo(Issues.UNMAPPED);
        // Personal data stays out of the issue text.
        assertThat(issueAt(translation, "PID-13").orElseThrow().message()).doesNotContain("13800000000");
    }

    @Test
    void aGoodMessageWithOnlyMappedFieldsHasNoIssues() {
        assertThat(translate(MSH, EVN, PID, PV1, IN1).issues()).isEmpty();
    }
}
