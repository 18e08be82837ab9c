package io.yibao.adapter.hl7v2;

import static io.yibao.adapter.hl7v2.Hl7TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Translation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Messages cut short: clear errors naming what is missing, never an exception. */
class Hl7v2TruncatedMessageTest {

    @Test
    void cutInsideMsh() {
        Translation translation = translate("MSH|^~\\&|HIS|H1101050");

        assertThat(translation.bundle()).isEmpty();
        assertThat(translation.issues()).filteredOn(i -> i.isError()).extracting(i -> i.location()).contains("MSH-12", "MSH-9");
    }

    @Test
    void cutInsideASegmentName() {
        Translation translation = translate(MSH, EVN, "PI");

        assertThat(translation.bundle()).isEmpty();
        assertThat(issueAt(translation, "segment 3")).hasValueSatisfying(i -> {
            assertThat(i.isError()).isTrue();
            assertThat(i.message()).contains("truncated");
        });
    }

    @Test
    void cutAfterPid() {
        Translation translation = translate(MSH, EVN, "PID|1||110105198001010016^^^^ID||张^");

        assertThat(translation.bundle()).isEmpty();
        assertThat(translation.issues()).filteredOn(i -> i.isError()).extracting(i -> i.location()).contains("PV1");
    }

    @Test
    void notHl7AtAll() {
        Translation translation = translate("{\"infno\":\"2204\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(translation.bundle()).isEmpty();
        assertThat(issueAt(translation, "MSH")).hasValueSatisfying(i -> assertThat(i.isError()).isTrue());
    }

    @Test
    void emptyPayload() {
        assertThat(translate(new byte[0]).succeeded()).isFalse();
    }
}
