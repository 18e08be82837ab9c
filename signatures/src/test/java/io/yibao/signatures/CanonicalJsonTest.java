package io.yibao.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {

    @Test
    void sortsKeysByUtf16CodeUnitsAsInRfc8785Section323() {
        String input = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""";

        assertThat(CanonicalJson.canonicalize(input)).isEqualTo(
                "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\","
                        + "\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void escapesStringsAndWritesLiteralsAsInRfc8785Section322() {
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";

        // Strings and literals exactly as RFC 8785 §3.2.2; numbers by the decimal rule instead of
        // RFC 8785's [333333333.3333333,1e+30,4.5,0.002,1e-27].
        assertThat(CanonicalJson.canonicalize(input)).isEqualTo(
                "{\"literals\":[null,true,false],"
                        + "\"numbers\":[333333333.33333329,1000000000000000000000000000000,4.50,0.002,0.000000000000000000000000001],"
                        + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1.50, 1.50",
        "0.10, 0.10",
        "100, 100",
        "1e3, 1000",
        "1E+3, 1000",
        "1.0E-2, 0.010",
        "1.20e1, 12.0",
        "-0, 0",
        "-0.0, 0.0",
        "-12.340, -12.340",
        "123456789012345678901234567890.000000000000000000001, 123456789012345678901234567890.000000000000000000001",
        "9223372036854775808, 9223372036854775808",
    })
    void writesNumbersAsPlainDecimalsKeepingTheirScale(String input, String canonical) {
        assertThat(CanonicalJson.canonicalize("[" + input + "]")).isEqualTo("[" + canonical + "]");
    }

    @Test
    void writesNoWhitespaceAndKeepsArrayOrder() {
        assertThat(CanonicalJson.canonicalize(" { \"b\" : [ 3 , 1 , 2 ] ,\n\t\"a\" : { } } "))
                .isEqualTo("{\"a\":{},\"b\":[3,1,2]}");
    }

    @Test
    void isIdempotent() {
        String once = CanonicalJson.canonicalize("{\"z\":1.50,\"a\":[\"\\u001f\",\"\\ud83d\\ude00\",1e2],\"m\":null}");
        assertThat(CanonicalJson.canonicalize(once)).isEqualTo(once);
    }

    @Test
    void producesTheSameBytesFromBytesAndFromText() {
        String json = "{\"名称\":\"张三\",\"金额\":1.50}";
        assertThat(CanonicalJson.canonicalize(json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(CanonicalJson.canonicalize(json).getBytes(StandardCharsets.UTF_8))
                .isEqualTo("{\"名称\":\"张三\",\"金额\":1.50}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsDuplicateKeysEvenWhenEscapedDifferently() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"a\":1,\"\\u0061\":2}"))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("duplicate member name");
    }

    @Test
    void rejectsInvalidUtf8WithItsOffset() {
        byte[] bytes = {'[', '"', (byte) 0xC3, '"', ']'};
        assertThatThrownBy(() -> CanonicalJson.canonicalize(bytes))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessage("invalid UTF-8 at byte offset 2");
    }

    @Test
    void rejectsUtf8EncodedSurrogates() {
        byte[] bytes = {'[', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ']'};
        assertThatThrownBy(() -> CanonicalJson.canonicalize(bytes))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageStartingWith("invalid UTF-8 at byte offset 2");
    }

    @Test
    void rejectsEscapedLoneSurrogates() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"name\":\"ab\\ud800\"}"))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessage("lone surrogate U+D800 at index 2 of a string");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"\\udc00\":1}"))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("lone surrogate U+DC00");
    }

    @Test
    void rejectsTrailingContentByteOrderMarkAndNonJson() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{} {}")).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("content after the JSON value");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"a\":")).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("unexpected end of input");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("\uFEFF{}")).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("byte order mark");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("")).isInstanceOf(InvalidJsonException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize("[NaN]")).isInstanceOf(InvalidJsonException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize("[01]")).isInstanceOf(InvalidJsonException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{'a':1}")).isInstanceOf(InvalidJsonException.class);
    }

    @Test
    void errorMessagesDoNotQuoteTheDocument() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"patient\":\"张三\",}"))
                .isInstanceOf(InvalidJsonException.class)
                .message().doesNotContain("张三").contains("line 1");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"patient\": 张三}"))
                .isInstanceOf(InvalidJsonException.class)
                .message().doesNotContain("张三");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"amount\": 1.50abc}"))
                .isInstanceOf(InvalidJsonException.class)
                .message().doesNotContain("1.50").doesNotContain("abc");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("[\"a\", 张]"))
                .isInstanceOf(InvalidJsonException.class)
                .message().doesNotContain("张").doesNotContain("24352");
    }

    @Test
    void rejectsNumbersTooLongForPlainNotation() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize("[1e1000000000]"))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("plain notation");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("[1e-1000000000]"))
                .isInstanceOf(InvalidJsonException.class);
    }
}
