package io.yibao.gateway.mllp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The MSH segment of a received HL7 v2 message, as much as the acknowledgement needs: the segment as
 * text (decoded in the message's own MSH-18 charset), MSH-10, MSH-12 and MSH-18, and the charset the
 * acknowledgement is written in.
 *
 * <p>Why not the adapter: {@code InboundAdapter.peek} gives only MSH-4 and MSH-10, and the adapter's
 * charset helper is package-private. The acknowledgement needs only the MSH segment, so it is read
 * here from the raw bytes with the adapter's rule (HL7 v2.5 §2.14.9.18: MSH-18 names the charset of
 * the whole message; the MSH fields are split on the ASCII field separator before anything is decoded,
 * stepping over GBK/GB18030 double bytes, whose trail byte may look like {@code |} or {@code ^}).
 * The adapter stays the authority on the message itself; this class never rejects what it accepts.
 */
record InboundHl7Header(String segment, String controlId, String version, String msh18, Charset charset) {

    /** Reads the header of {@code raw}; empty when it does not start with an MSH segment and its delimiters. */
    static Optional<InboundHl7Header> read(byte[] raw) {
        int start = hasUtf8Bom(raw) ? 3 : 0;
        int end = start;
        while (end < raw.length && raw[end] != '\r' && raw[end] != '\n') {
            end++;
        }
        String ascii = asciiProjection(raw, start, end);
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
        Charset charset = charsetOf(msh18).orElse(StandardCharsets.US_ASCII);
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

    /** The first segment as text good enough to split into fields: valid UTF-8 as is, else non-ASCII characters become '?'. */
    private static String asciiProjection(byte[] raw, int start, int end) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw, start, end - start)).toString();
        } catch (CharacterCodingException notUtf8) {
            StringBuilder ascii = new StringBuilder(end - start);
            for (int i = start; i < end; i++) {
                int b = raw[i] & 0xFF;
                if (b < 0x80) {
                    ascii.append((char) b);
                } else {
                    ascii.append('?');
                    i++; // a GBK/GB18030 lead byte: its trail byte is not a delimiter
                }
            }
            return ascii.toString();
        }
    }

    private static boolean hasUtf8Bom(byte[] raw) {
        return raw.length >= 3 && (raw[0] & 0xFF) == 0xEF && (raw[1] & 0xFF) == 0xBB && (raw[2] & 0xFF) == 0xBF;
    }

    /** The names the adapter reads (HL7 table 0211 and Chinese HIS vendors' names); empty MSH-18 is UTF-8 there too. */
    static Optional<Charset> charsetOf(String msh18) {
        if (msh18 == null || msh18.isBlank()) {
            return Optional.of(StandardCharsets.UTF_8);
        }
        return switch (msh18.toUpperCase(Locale.ROOT).replaceAll("[\\s_\\-/.]", "")) {
            case "UNICODEUTF8", "UTF8" -> Optional.of(StandardCharsets.UTF_8);
            case "GB180302000", "GB180302005", "GB18030", "GBK", "GB2312", "CHINESE", "CP936" -> Optional.of(Charset.forName("GB18030"));
            case "ASCII", "USASCII" -> Optional.of(StandardCharsets.US_ASCII);
            case "88591", "ISO88591" -> Optional.of(StandardCharsets.ISO_8859_1);
            default -> Optional.empty();
        };
    }
}
