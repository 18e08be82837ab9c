package io.yibao.adapter.hl7v2;

import static io.yibao.adapter.hl7v2.Hl7TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Translation;
import org.junit.jupiter.api.Test;

/** A Z-segment: translated anyway, each populated field a warning naming it. */
class Hl7v2ZSegmentTest {

    @Test
    void aZSegmentIsAWarningNamingItsFields() {
        Translation translation = translate(MSH, EVN, PID, "ZPI|VIP||床位紧张", PV1, IN1);

        assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
        assertThat(warnings(translation)).extracting(i -> i.location()).containsExactly("ZPI-1", "ZPI-3");
        assertThat(issueAt(translation, "ZPI-1").orElseThrow().ruleId()).isEqualTo(Issues.Z_SEGMENT);
        assertThat(issueAt(translation, "ZPI-1").orElseThrow().message()).contains("ZPI");
    }
}
