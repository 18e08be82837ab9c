package io.yibao.adapter.hl7v2;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The character set of an HL7 v2 message, from MSH-18, found before the message is decoded: the MSH
 * segment's bytes are split on the (ASCII) field separator without decoding the rest of the message.
 * Public because the gateway's MLLP acknowledgements read the header by the same rule.
 */
public final class Hl7Charsets {
    static final Charset GB18030 = Charset.forName("GB18030");

    private Hl7Charsets() {}

    /** The MSH segment of raw bytes as text good enough to split into fields (non-ASCII characters become '?'). */
    public static String mshSegment(byte[] raw) {
        int start = hasUtf8Bom(raw) ? 3 : 0;
        int end = start;
        while (end < raw.length && raw[end] != '\r' && raw[end] != '\n') {
            end++;
        }
        try {
            // Valid UTF-8 (plain ASCII included): the fields split exactly.
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw, start, end - start)).toString();
        } catch (CharacterCodingException notUtf8) {
            // GBK/GB18030: a byte >= 0x80 opens a 2-byte unit whose second byte may look like '|' or '^'
            // (GBK trail bytes 0x40-0xFE); 4-byte GB18030 characters are two such units.
            StringBuilder ascii = new StringBuilder(end - start);
            for (int i = start; i < end; i++) {
                int b = raw[i] & 0xFF;
                if (b < 0x80) {
                    ascii.append((char) b);
                } else {
                    ascii.append('?');
                    i++;
                }
            }
            return ascii.toString();
        }
    }

    public static boolean hasUtf8Bom(byte[] raw) {
        return raw.length >= 3 && (raw[0] & 0xFF) == 0xEF && (raw[1] & 0xFF) == 0xBB && (raw[2] & 0xFF) == 0xBF;
    }

    /**
     * The Java charset of an MSH-18 value (HL7 table 0211 and the names Chinese HIS vendors use); empty means
     * the HL7 default, taken here as UTF-8 (a superset of ASCII). Empty result: a charset this adapter does not read.
     */
    public static Optional<Charset> forMsh18(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of(StandardCharsets.UTF_8);
        }
        String key = value.toUpperCase(Locale.ROOT).replaceAll("[\\s_\\-/.]", "");
        return switch (key) {
            case "UNICODEUTF8", "UTF8" -> Optional.of(StandardCharsets.UTF_8);
            // GB18030 is a superset of GBK and GB 2312: one decoder reads all three.
            case "GB180302000", "GB180302005", "GB18030", "GBK", "GB2312", "CHINESE", "CP936" -> Optional.of(GB18030);
            case "ASCII", "USASCII" -> Optional.of(StandardCharsets.US_ASCII);
            case "88591", "ISO88591" -> Optional.of(StandardCharsets.ISO_8859_1);
            default -> Optional.empty();
        };
    }

    /** Decodes strictly: bytes that are not valid in the charset are an error, never replaced silently. */
    public static String decode(byte[] raw, Charset charset) throws CharacterCodingException {
        int start = charset.equals(StandardCharsets.UTF_8) && hasUtf8Bom(raw) ? 3 : 0;
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw, start, raw.length - start)).toString();
    }
}
