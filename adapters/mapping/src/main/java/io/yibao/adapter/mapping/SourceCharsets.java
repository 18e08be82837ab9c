package io.yibao.adapter.mapping;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The encoding of a source file: {@code UTF-8}, {@code GBK}, {@code GB18030}, or {@code auto} (a byte-order
 * mark names the charset; else strict UTF-8 when every byte decodes; else GB18030, the superset of GBK). A BOM
 * is skipped in every case. Decoding is always strict: bytes that are not valid in the charset are an error,
 * never replacement characters.
 */
final class SourceCharsets {
    static final Charset GB18030 = Charset.forName("GB18030");
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] GB18030_BOM = {(byte) 0x84, 0x31, (byte) 0x95, 0x33};

    /** A charset and the length of the byte-order mark the file starts with (0 when none). */
    record Encoding(Charset charset, int bomLength) {}

    private SourceCharsets() {}

    /** The configured charset, or null for {@code auto}; an unknown name is an IllegalArgumentException. */
    static Charset configured(String name) {
        if (name == null || name.equalsIgnoreCase("auto")) {
            return null;
        }
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "UTF-8", "UTF8" -> StandardCharsets.UTF_8;
            case "GBK" -> Charset.forName("GBK");
            case "GB18030" -> GB18030;
            default -> throw new IllegalArgumentException("encoding '" + name + "' is not one of UTF-8, GBK, GB18030, auto");
        };
    }

    /**
     * The file's encoding. For {@code auto} without a BOM this reads the whole stream once (streaming, a
     * buffer at a time) to see whether it is valid UTF-8.
     */
    static Encoding detect(Charset configured, Supplier<InputStream> file) throws IOException {
        byte[] start;
        try (InputStream in = file.get()) {
            start = in.readNBytes(4);
        }
        if (startsWith(start, UTF8_BOM)) {
            return new Encoding(configured == null ? StandardCharsets.UTF_8 : configured, 3);
        }
        if (startsWith(start, GB18030_BOM)) {
            return new Encoding(configured == null ? GB18030 : configured, 4);
        }
        if (configured != null) {
            return new Encoding(configured, 0);
        }
        try (InputStream in = new BufferedInputStream(file.get(), 1 << 16)) {
            return new Encoding(isUtf8(in) ? StandardCharsets.UTF_8 : GB18030, 0);
        }
    }

    private static boolean isUtf8(InputStream in) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
        CharBuffer chars = CharBuffer.allocate(1 << 16);
        boolean end = false;
        while (!end) {
            int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
            end = read < 0;
            if (!end) {
                bytes.position(bytes.position() + read);
            }
            bytes.flip();
            CoderResult result = decoder.decode(bytes, chars, end);
            if (result.isError()) {
                return false;
            }
            chars.clear();
            bytes.compact();
        }
        return !decoder.flush(chars).isError();
    }

    /** A strict decoder: invalid bytes raise {@link java.nio.charset.MalformedInputException}. */
    static CharsetDecoder strictDecoder(Charset charset) {
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
