package io.yibao.adapter.hl7v2;

import static io.yibao.adapter.hl7v2.Hl7TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Translation;
import io.yibao.standards.validation.ValidationIssue;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A resident ID with a wrong check character: the adapter translates (the standard judges), the validator
 * reports yb-rid-check, and the translation's native locations place the finding at PID-3.
 */
class Hl7v2WrongResidentIdCheckCharacterTest {

    @Test
    void theValidatorReportsYbRidCheckAndTheAdapterPlacesItAtPid3() {
        Translation translation = translate(MSH, EVN, PID.replace("110105198001010016", "110105198001010017"), PV1, IN1);

        assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
        List<ValidationIssue> issues = validate(translation.bundle().orElseThrow());
        ValidationIssue check = issues.stream().filter(i -> "yb-rid-check".equals(i.ruleId())).findFirst().orElseThrow();
        assertThat(check.isError()).isTrue();
        assertThat(translation.nativeLocationOf(check.expression())).contains("PID-3");
        assertThat(check.withLocation(translation.nativeLocationOf(check.expression()).orElseThrow()).toString()).contains("(PID-3)");
    }
}
