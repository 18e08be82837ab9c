package io.yibao.gateway.mllp;

import io.yibao.adapter.hl7v2.Hl7Charsets;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The MSH segment of a received HL7 v2 message, as much as the acknowledgement needs: the segment as
 * text (decoded in the message's own MSH-18 charset), MSH-10, MSH-12 and MSH-18, and the charset the
 * acknowledgement is written in.
 *
 * <p>{@code InboundAdapter.peek} gives only MSH-4 and MSH-10, so the header is read here from the raw
 * bytes with the adapter's own {@link Hl7Charsets} (HL7 v2.5 §2.14.9.18: MSH-18 names the charset of
 * the whole message; the MSH fields are split on the ASCII field separator before anything is decoded,
 * stepping over GBK/GB18030 double bytes, whose trail byte may look like {@code |} or {@code ^}).
 * The adapter stays the authority on the message itself; this class never rejects what it accepts.
 */
record InboundHl7Header(String segment, String controlId, String version, String msh18, Charset charset) {

    /** Reads the header of {@code raw}; empty when it does not start with an MSH segment and its delimiters. */
    static Optional<InboundHl7Header> read(byte[] raw) {
        int start = Hl7Charsets.hasUtf8Bom(raw) ? 3 : 0;
        int end = start;
        while (end < raw.length && raw[end] != '\r' && raw[end] != '\n') {
            end++;
        }
        String ascii = Hl7Charsets.mshSegment(raw);
        if (ascii.length() < 8 || !ascii.startsWith("MSH")) {
            return Optional.empty();
        }
        char fieldSeparator = ascii.charAt(3);
        if (Character.isLetterOrDigit(fieldSeparator) || Character.isWhitespace(fieldSeparator)) {
            return Optional.empty();
        }
        String[] fields = ascii.split(Pattern.quote(String.valueOf(fieldSeparator)), -1);
        char component = fields[1].isEmpty() ? '^' : fields[1].charAt(0);
        String msh18 = firstComponent(mshField(fields, 18), component);
        Charset charset = Hl7Charsets.forMsh18(msh18).orElse(StandardCharsets.US_ASCII);
        String segment;
        try {
            segment = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            // Bytes not valid in the declared charset: the adapter will say so (error at MSH-18); the
            // acknowledgement still needs the header, and its ASCII fields are exact.
            segment = ascii;
        }
        String[] decoded = segment.split(Pattern.quote(String.valueOf(fieldSeparator)), -1);
        return Optional.of(new InboundHl7Header(segment, firstComponent(mshField(decoded, 10), component),
                firstComponent(mshField(decoded, 12), component), msh18, charset));
    }

    /** MSH-n of fields split on the field separator (MSH-1 is the separator itself, so MSH-n is fields[n-1]). */
    private static String mshField(String[] fields, int n) {
        return fields.length > n - 1 ? fields[n - 1] : "";
    }

    private static String firstComponent(String field, char component) {
        int at = field.indexOf(component);
        return at < 0 ? field : field.substring(0, at);
    }
}
