package io.yibao.adapter.hl7v2;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The segments of an HL7 v2 file read from bytes, one at a time, without decoding: a segment ends at CR,
 * LF or CR LF. That split is safe in every charset MSH-18 may name here (UTF-8, GBK, GB18030): none of
 * them uses the bytes 0x0D or 0x0A inside a multi-byte character. Blank lines are skipped but counted,
 * so line numbers match what an editor shows. Only one segment is held in memory.
 */
final class Hl7SegmentLines implements Closeable {
    /** One segment: its 1-based line in the file and its exact bytes (without the terminator). */
    record Line(long number, byte[] bytes) {
        /** The 3-character segment name (ASCII), or the whole line when shorter. */
        String name() {
            int length = Math.min(3, bytes.length);
            char[] name = new char[length];
            for (int i = 0; i < length; i++) {
                name[i] = (char) (bytes[i] & 0xFF);
            }
            return new String(name);
        }
    }

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private long line;
    private boolean previousWasCr;
    private byte[] segment = new byte[1024];

    Hl7SegmentLines(InputStream in) {
        this.in = in;
    }

    /** The next non-blank segment, or null at the end of the file. */
    Line next() throws IOException {
        while (true) {
            int length = 0;
            boolean terminated = false;
            while (!terminated) {
                if (position == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        break;
                    }
                }
                byte b = buffer[position++];
                if (b == '\n' && previousWasCr) {
                    // The LF of a CR LF pair: the CR already ended the line.
                    previousWasCr = false;
                    continue;
                }
                previousWasCr = b == '\r';
                if (b == '\r' || b == '\n') {
                    terminated = true;
                } else {
                    if (length == segment.length) {
                        segment = Arrays.copyOf(segment, segment.length * 2);
                    }
                    segment[length++] = b;
                }
            }
            if (!terminated && length == 0) {
                return null;
            }
            line++;
            if (length > 0) {
                return new Line(line, Arrays.copyOf(segment, length));
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
