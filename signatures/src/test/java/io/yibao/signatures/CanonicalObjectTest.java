package io.yibao.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link CanonicalObject#withMember} must write exactly what a full canonical write of the object with the member writes. */
class CanonicalObjectTest {

    private static final String VALUE = "{\"z\":[1.50,\"\\u001f\"],\"a\":{\"y\":null,\"b\":true}}";

    /** The old way: set the member on the tree and write the whole object again. */
    private static String writtenInFull(String objectJson, String name, String valueJson) {
        ObjectNode object = (ObjectNode) CanonicalJson.parse(objectJson);
        object.set(name, CanonicalJson.parse(valueJson));
        return CanonicalJson.toCanonicalString(object);
    }

    private static String spliced(String objectJson, String name, String valueJson) {
        return CanonicalJson.ofObject((ObjectNode) CanonicalJson.parse(objectJson)).withMember(name, CanonicalJson.parse(valueJson));
    }

    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource(delimiter = '|', value = {
        // position    | object                                        | name
        "empty object  | {}                                            | signature",
        "first         | {\"type\":1,\"timestamp\":2}                  | signature",
        "middle        | {\"type\":1,\"id\":\"x\",\"meta\":{\"b\":1,\"a\":2}} | signature",
        "last          | {\"resourceType\":\"Bundle\",\"id\":\"x\"}    | signature",
        "after the one | {\"resourceType\":\"Bundle\"}                 | signature",
        "first, only   | {\"type\":\"message\"}                        | signature",
        // A nested member with the same name is not a top-level member: only the top level counts.
        "nested name   | {\"a\":{\"signature\":1},\"z\":2}             | signature",
        // UTF-16 code-unit order (RFC 8785 §3.2.3): U+1F600 (surrogates D83D..) sorts before U+FB33.
        "by UTF-16     | {\"\\ud83d\\ude00\":1,\"\\u20ac\":2}          | \ufb32",
        "escaped name  | {\"a\":1,\"c\":2}                             | b\"\u0007x",
    })
    void splicedTextIsTheFullCanonicalWrite(String position, String object, String name) {
        assertThat(spliced(object, name, VALUE)).as(position).isEqualTo(writtenInFull(object, name, VALUE));
    }

    @Test
    void textIsTheCanonicalWriteOfTheObjectItself() {
        String object = "{\"type\":1,\"id\":\"x\",\"meta\":{\"b\":1.50,\"a\":2}}";

        assertThat(CanonicalJson.ofObject((ObjectNode) CanonicalJson.parse(object)).text()).isEqualTo(CanonicalJson.canonicalize(object));
    }

    @Test
    void splicesTheExactExpectedTextAtEachPosition() {
        CanonicalObject object = CanonicalJson.ofObject((ObjectNode) CanonicalJson.parse("{\"d\":4,\"b\":2}"));
        JsonNode value = CanonicalJson.parse("0");

        assertThat(object.withMember("a", value)).isEqualTo("{\"a\":0,\"b\":2,\"d\":4}");
        assertThat(object.withMember("c", value)).isEqualTo("{\"b\":2,\"c\":0,\"d\":4}");
        assertThat(object.withMember("e", value)).isEqualTo("{\"b\":2,\"d\":4,\"e\":0}");
        assertThat(CanonicalJson.ofObject((ObjectNode) CanonicalJson.parse("{}")).withMember("a", value)).isEqualTo("{\"a\":0}");
    }

    @Test
    void theObjectCanTakeSeveralDifferentMembersInTurnAndStaysUnchanged() {
        CanonicalObject object = CanonicalJson.ofObject((ObjectNode) CanonicalJson.parse("{\"b\":2}"));

        object.withMember("a", CanonicalJson.parse("1"));

        assertThat(object.withMember("c", CanonicalJson.parse("3"))).isEqualTo("{\"b\":2,\"c\":3}");
        assertThat(object.text()).isEqualTo("{\"b\":2}");
    }

    @Test
    void refusesANameTheObjectAlreadyHas() {
        CanonicalObject object = CanonicalJson.ofObject((ObjectNode) CanonicalJson.parse("{\"id\":\"x\",\"signature\":{}}"));

        assertThatThrownBy(() -> object.withMember("signature", CanonicalJson.parse("{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already has a member named \"signature\"");
    }

    @Test
    void refusesAMemberThatCannotBeCanonicalized() {
        CanonicalObject object = CanonicalJson.ofObject((ObjectNode) CanonicalJson.parse("{\"id\":\"x\"}"));

        assertThatThrownBy(() -> object.withMember("\ud800", CanonicalJson.parse("1")))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("lone surrogate U+D800");
    }
}
