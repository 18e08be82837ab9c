package io.yibao.signatures;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The canonical form of a JSON document for signing: RFC 8785 (JCS) key ordering, string escaping
 * and whitespace, except that numbers keep their exact decimal value and scale ({@code 1.50} stays
 * {@code 1.50}) instead of RFC 8785's IEEE-754 double serialisation, so money survives signing.
 *
 * <p>The serializer is hand-written: there is no maintained Java JCS library with a
 * decimal-preserving number rule, and the rules are short. Parsing is Jackson's, with numbers read
 * as {@link BigDecimal}/{@link java.math.BigInteger}, never as double. See
 * docs/security.md for the exact rules.
 */
public final class CanonicalJson {

    /** Longest number accepted in plain notation, in digits; {@code 1e1000000000} must not become a gigabyte. */
    public static final int MAX_PLAIN_NUMBER_DIGITS = 1000;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Keep 1.50 as 1.50 in the tree; Jackson would otherwise strip trailing zeros.
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private CanonicalJson() {}

    /** Canonical UTF-8 bytes of a UTF-8 JSON document. */
    public static byte[] canonicalize(byte[] utf8Json) {
        return toCanonicalBytes(parse(utf8Json));
    }

    /** Canonical form of a JSON document given as text. */
    public static String canonicalize(String json) {
        return toCanonicalString(parse(json));
    }

    /**
     * Parses strict UTF-8 JSON into a tree with exact numbers. Rejects malformed UTF-8 (including
     * encoded surrogates), a byte order mark, duplicate keys and trailing content.
     */
    public static JsonNode parse(byte[] utf8Json) {
        return parse(decodeUtf8(utf8Json));
    }

    /** Parses JSON text into a tree with exact numbers; rejects duplicate keys and trailing content. */
    public static JsonNode parse(String json) {
        if (!json.isEmpty() && json.charAt(0) == '\uFEFF') {
            throw new InvalidJsonException("byte order mark before the JSON text is not allowed");
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new InvalidJsonException("no JSON value in the input");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidJsonException("invalid JSON" + where + ": " + describe(e), e);
        }
    }

    /**
     * What went wrong, in words that never quote the document: Jackson's own messages include the
     * offending token, which may be a patient's name.
     */
    private static String describe(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return e.getOriginalMessage();
        }
        String original = String.valueOf(e.getOriginalMessage());
        if (original.startsWith("Duplicate field")) {
            return "duplicate member name";
        }
        if (original.startsWith("Trailing token")) {
            return "content after the JSON value";
        }
        if (original.contains("end-of-input")) {
            return "unexpected end of input";
        }
        return "not well-formed JSON";
    }

    /** Canonical UTF-8 bytes of a tree (as produced by {@link #parse}). */
    public static byte[] toCanonicalBytes(JsonNode node) {
        return toCanonicalString(node).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Canonical text of a tree. Its UTF-8 encoding is exact: lone surrogates are rejected here, so
     * every string is valid Unicode.
     */
    public static String toCanonicalString(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> writeNumber(node, out);
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            default -> throw new InvalidJsonException("cannot canonicalize a JSON node of type " + node.getNodeType());
        }
    }

    /**
     * Canonical text of an object, remembering where each top-level member ends, so that the text of
     * the same object with one more member can be had without writing the others again.
     */
    public static CanonicalObject ofObject(ObjectNode object) {
        List<Map.Entry<String, JsonNode>> members = sortedMembers(object);
        String[] names = new String[members.size()];
        int[] memberEnds = new int[members.size()];
        StringBuilder out = new StringBuilder(256);
        writeMembers(members, out, memberEnds);
        for (int i = 0; i < names.length; i++) {
            names[i] = members.get(i).getKey();
        }
        return new CanonicalObject(out.toString(), names, memberEnds);
    }

    /** Canonical text of one member, {@code "name":value}, as it appears inside an object. */
    static void writeMember(String name, JsonNode value, StringBuilder out) {
        writeString(name, out);
        out.append(':');
        write(value, out);
    }

    private static void writeObject(JsonNode node, StringBuilder out) {
        writeMembers(sortedMembers(node), out, null);
    }

    private static List<Map.Entry<String, JsonNode>> sortedMembers(JsonNode object) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(object.properties());
        // RFC 8785 §3.2.3: sort by the UTF-16 code units of the names, which is String.compareTo.
        members.sort(Map.Entry.comparingByKey());
        return members;
    }

    /** Writes {@code {members}}; if {@code memberEnds} is given, stores the offset just after each member's value. */
    private static void writeMembers(List<Map.Entry<String, JsonNode>> members, StringBuilder out, int[] memberEnds) {
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Map.Entry<String, JsonNode> member = members.get(i);
            writeMember(member.getKey(), member.getValue(), out);
            if (memberEnds != null) {
                memberEnds[i] = out.length();
            }
        }
        out.append('}');
    }

    /**
     * RFC 8785 §3.2.2.2: the ECMAScript JSON.stringify escaping; everything else is written as is. Runs of characters
     * written as they are go out in one {@code append}: appending them one by one was most of the cost of canonical
     * JSON in the gateway's profile (docs/benchmarks.md, round 8).
     */
    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                // RFC 8785 §3.2.2.2 / I-JSON (RFC 7493 §2.1): strings must be valid Unicode.
                throw new InvalidJsonException(String.format("lone surrogate U+%04X at index %d of a string", (int) c, i));
            }
            out.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            }
        }
        if (run == 0) {
            // Nothing escaped, the usual case: append(String) copies the array at once, where append(CharSequence, int,
            // int) copies char by char in JDK 17 (3.2 % of the gateway's CPU in batch round 9).
            out.append(s);
        } else {
            out.append(s, run, s.length());
        }
        out.append('"');
    }

    /**
     * The one deliberate departure from RFC 8785 §3.2.2.3: a number is written as the plain decimal
     * notation of its exact value, keeping its scale ({@code 1.50}, {@code 1e3} → {@code 1000},
     * {@code 1.0E-2} → {@code 0.010}, {@code -0} → {@code 0}).
     */
    private static void writeNumber(JsonNode node, StringBuilder out) {
        if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue());
            return;
        }
        if (!node.isBigDecimal()) {
            throw new InvalidJsonException("binary floating-point numbers cannot be canonicalized exactly; parse with CanonicalJson.parse");
        }
        BigDecimal value = node.decimalValue();
        long integerDigits = Math.max((long) value.precision() - value.scale(), 1);
        long fractionDigits = Math.max(value.scale(), 0);
        if (integerDigits + fractionDigits > MAX_PLAIN_NUMBER_DIGITS) {
            throw new InvalidJsonException("number needs more than " + MAX_PLAIN_NUMBER_DIGITS + " digits in plain notation");
        }
        // A negative scale (1E+3) has no fraction digits; BigDecimal has no negative zero, so -0.0 is 0.0.
        out.append(value.toPlainString());
    }

    private static String decodeUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new InvalidJsonException("invalid UTF-8 at byte offset " + in.position());
        }
        result = decoder.flush(out);
        if (result.isError()) {
            throw new InvalidJsonException("invalid UTF-8 at the end of the input");
        }
        return out.flip().toString();
    }
}
