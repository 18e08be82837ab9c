package io.yibao.adapter.hl7v2;

import java.nio.charset.Charset;
import java.util.HexFormat;

/**
 * Text-level preparation of a decoded message before HAPI parses it: segment terminators and the
 * {@code \Xhh..\} hexadecimal escape (HL7 v2 §2.7.4), which HAPI leaves as it is. HAPI itself unescapes
 * {@code \F\ \S\ \T\ \R\ \E\}.
 */
final class Hl7Text {
    private Hl7Text() {}

    /** CR is the HL7 segment terminator; files and MLLP captures often carry LF or CRLF. */
    static String normalizeSegments(String text) {
        String cr = text.replace("\r\n", "\r").replace('\n', '\r');
        int end = cr.length();
        while (end > 0 && (cr.charAt(end - 1) == '\r' || Character.isWhitespace(cr.charAt(end - 1)))) {
            end--;
        }
        return cr.substring(0, end);
    }

    /**
     * Replaces each {@code \X..\} escape by the characters its bytes encode in the message's charset; a
     * decoded delimiter is escaped again ({@code \F\} ...) so that it stays data.
     */
    static String decodeHexEscapes(String message, char fieldSep, String encodingChars, Charset charset) {
        if (encodingChars.length() < 3) {
            return message;
        }
        char component = encodingChars.charAt(0);
        char repetition = encodingChars.charAt(1);
        char escape = encodingChars.charAt(2);
        char subcomponent = encodingChars.length() > 3 ? encodingChars.charAt(3) : '&';
        StringBuilder out = new StringBuilder(message.length());
        // MSH-1 and MSH-2 hold the delimiters themselves: scanning starts after them.
        int skip = Math.min(message.length(), 4 + encodingChars.length());
        out.append(message, 0, skip);
        int i = skip;
        while (i < message.length()) {
            char c = message.charAt(i);
            int close = c == escape ? message.indexOf(escape, i + 1) : -1;
            if (close < 0) {
                out.append(c);
                i++;
                continue;
            }
            String content = message.substring(i + 1, close);
            String hex = content.length() > 1 && content.charAt(0) == 'X' ? content.substring(1) : null;
            if (hex != null && hex.length() % 2 == 0 && hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                String decoded = new String(HexFormat.of().parseHex(hex), charset);
                for (char d : decoded.toCharArray()) {
                    if (d == fieldSep) {
                        out.append(escape).append('F').append(escape);
                    } else if (d == component) {
                        out.append(escape).append('S').append(escape);
                    } else if (d == subcomponent) {
                        out.append(escape).append('T').append(escape);
                    } else if (d == repetition) {
                        out.append(escape).append('R').append(escape);
                    } else if (d == escape) {
                        out.append(escape).append('E').append(escape);
                    } else {
                        out.append(d);
                    }
                }
            } else {
                out.append(message, i, close + 1);
            }
            i = close + 1;
        }
        return out.toString();
    }
}
