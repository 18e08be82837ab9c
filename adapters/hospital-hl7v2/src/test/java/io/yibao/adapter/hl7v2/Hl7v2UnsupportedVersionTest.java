package io.yibao.adapter.hl7v2;

import static io.yibao.adapter.hl7v2.Hl7TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Translation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MSH-12 outside 2.3–2.6: an error naming MSH-12. */
class Hl7v2UnsupportedVersionTest {

    @ParameterizedTest
    @ValueSource(strings = {"2.2", "2.7", "2.8.2", "3.0"})
    void anUnsupportedVersionIsAnErrorNamingMsh12(String version) {
        Translation translation = translate(MSH.replace("|P|2.5|", "|P|" + version + "|"), EVN, PID, PV1, IN1);

        assertThat(translation.bundle()).isEmpty();
        assertThat(issueAt(translation, "MSH-12")).hasValueSatisfying(issue -> {
            assertThat(issue.isError()).isTrue();
            assertThat(issue.ruleId()).isEqualTo(Issues.VERSION);
            assertThat(issue.message()).contains("'" + version + "'");
        });
    }
}
