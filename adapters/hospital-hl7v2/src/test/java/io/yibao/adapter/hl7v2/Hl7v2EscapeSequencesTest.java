package io.yibao.adapter.hl7v2;

import static io.yibao.adapter.hl7v2.Hl7TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Translation;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** HL7 escapes in a name: \F\ \S\ \T\ \R\ \E\ come out as the delimiter characters, \X..\ as the characters its bytes encode. */
class Hl7v2EscapeSequencesTest {

    @Test
    void delimiterEscapesBecomeDataAndHexEscapesAreDecodedInTheMessageCharset() {
        Translation translation = translate(MSH, EVN,
                "PID|1||110105198001010016^^^^ID||A\\F\\B\\S\\C^D\\T\\E\\R\\F\\E\\G\\X4142\\\\X7C\\\\XE5BCA0\\||19800101|M",
                PV1, IN1);

        assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
        HumanName name = patient(translation).getNameFirstRep();
        assertThat(name.getFamily()).isEqualTo("A|B^C");
        // \X7C\ is '|' as data, not a field separator; E5BCA0 is 张 in UTF-8 (MSH-18).
        assertThat(name.getGivenAsSingleString()).isEqualTo("D&E~F\\GAB|张");
    }

    @Test
    void hexEscapesUseGb18030BytesWhenMsh18SaysSo() {
        String msh = MSH.replace("UNICODE UTF-8", "GBK");
        Translation translation = translate((String.join("\r", msh, EVN,
                "PID|1||110105198001010016^^^^ID||\\XD5C5\\^三测试||19800101|M", PV1, IN1)).getBytes(Hl7Charsets.GB18030));

        assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
        assertThat(patient(translation).getNameFirstRep().getText()).isEqualTo("张三测试");
    }

    static Patient patient(Translation translation) {
        return (Patient) translation.bundle().orElseThrow().getEntry().get(1).getResource();
    }
}
