package io.yibao.adapter.hl7v2;

import static io.yibao.adapter.hl7v2.Hl7TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.adapter.Translation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** MSH-18 decides how the bytes are decoded; bytes that do not fit the declared charset are an error naming MSH-18. */
class Hl7v2CharsetTest {

    @ParameterizedTest
    @ValueSource(strings = {"GB 18030-2000", "GBK", "GB2312", "CHINESE"})
    void gbCharsetsDecodeChineseNames(String msh18) {
        Translation translation = translate(message(MSH.replace("UNICODE UTF-8", msh18)).getBytes(Hl7Charsets.GB18030));

        assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
        assertThat(Hl7v2EscapeSequencesTest.patient(translation).getNameFirstRep().getText()).isEqualTo("张三测试");
    }

    @Test
    void aGbkTrailByteThatLooksLikeTheFieldSeparatorDoesNotShiftMsh18() {
        // 亅 is 0x81 0x7C in GBK: its second byte is '|'. The MSH scan must step over it.
        String msh = MSH.replace("|HIS|", "|亅HIS乛|").replace("UNICODE UTF-8", "GBK");
        Translation translation = translate(message(msh).getBytes(Hl7Charsets.GB18030));

        assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
        assertThat(translation.bundle().orElseThrow().getEntry().get(0).getResource())
                .extracting(r -> ((org.hl7.fhir.r4.model.MessageHeader) r).getSource().getName()).isEqualTo("亅HIS乛");
    }

    @Test
    void noMsh18MeansUtf8AndABomIsSkipped() {
        byte[] body = message(MSH.replace("||||||UNICODE UTF-8", "")).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);

        Translation translation = translate(withBom);
        assertThat(translation.succeeded()).as(translation.issues().toString()).isTrue();
        assertThat(Hl7v2EscapeSequencesTest.patient(translation).getNameFirstRep().getText()).isEqualTo("张三测试");
    }

    @Test
    void gb18030BytesDeclaredAsUtf8AreAnErrorNamingMsh18() {
        Translation translation = translate(message(MSH).getBytes(Hl7Charsets.GB18030));

        assertThat(translation.bundle()).isEmpty();
        assertThat(issueAt(translation, "MSH-18")).hasValueSatisfying(i -> {
            assertThat(i.isError()).isTrue();
            assertThat(i.ruleId()).isEqualTo(Issues.CHARSET);
        });
    }

    @Test
    void anUnknownCharsetIsAnErrorNamingMsh18() {
        Translation translation = translate(message(MSH.replace("UNICODE UTF-8", "ISO IR87")).getBytes(StandardCharsets.UTF_8));

        assertThat(translation.bundle()).isEmpty();
        assertThat(issueAt(translation, "MSH-18")).hasValueSatisfying(i -> assertThat(i.message()).contains("ISO IR87"));
    }

    private static String message(String msh) {
        return String.join("\r\n", msh, EVN, PID, PV1, IN1);
    }
}
