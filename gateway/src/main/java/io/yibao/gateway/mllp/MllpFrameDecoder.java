package io.yibao.gateway.mllp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/**
 * MLLP frames ({@code 0x0B} message {@code 0x1C 0x0D}, HL7 v2.5 Appendix C) with a size limit: a frame's
 * bytes come out as a {@code byte[]}, untouched (no charset, no LF→CR); a frame longer than the limit comes
 * out as an {@link OversizedFrame} holding only its first bytes, so that the gateway can still answer it
 * with an acknowledgement that names the message (its MSH segment is at the start), while the rest of it
 * is discarded as it arrives instead of being buffered. Bytes between frames are ignored.
 *
 * <p>Hand-written because camel-hl7's MLLP decoder, the one used before, fixes its maximum frame length at
 * {@code Integer.MAX_VALUE} (a sender could make the gateway buffer gigabytes), and Netty's
 * {@code DelimiterBasedFrameDecoder}, which it extends, discards an oversized frame entirely and only
 * raises an exception: the sender would get no acknowledgement and, as HL7 senders do, resend forever.
 */
final class MllpFrameDecoder extends ByteToMessageDecoder {
    static final byte START_BLOCK = 0x0B;
    static final byte END_BLOCK = 0x1C;
    static final byte CARRIAGE_RETURN = 0x0D;
    /** Bytes of an oversized frame kept for its acknowledgement; an MSH segment is far shorter. */
    static final int KEPT_OF_OVERSIZED = 4096;

    /** A frame longer than the limit: its first bytes and its whole length (without the framing bytes). */
    record OversizedFrame(byte[] start, long length) {}

    private final int maximumFrame;
    /** Bytes after the start block already searched for the end block without finding it. */
    private int searched;
    /** Non-null while the rest of an oversized frame is being discarded. */
    private byte[] oversizedStart;
    private long oversizedLength;

    MllpFrameDecoder(int maximumFrame) {
        this.maximumFrame = maximumFrame;
    }

    @Override
    protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (oversizedStart != null) {
                if (!discardOversized(in, out)) {
                    return;
                }
                continue;
            }
            int start = in.indexOf(in.readerIndex(), in.writerIndex(), START_BLOCK);
            if (start < 0) {
                in.skipBytes(in.readableBytes());
                return;
            }
            in.readerIndex(start);
            int end = endBlock(in, start + 1 + Math.max(0, searched - 1));
            if (end >= 0) {
                int length = end - start - 1;
                if (length > maximumFrame) {
                    out.add(new OversizedFrame(copy(in, start + 1, Math.min(length, KEPT_OF_OVERSIZED)), length));
                } else {
                    byte[] frame = new byte[length];
                    in.getBytes(start + 1, frame);
                    out.add(frame);
                }
                in.readerIndex(end + 2);
                searched = 0;
                continue;
            }
            searched = in.readableBytes() - 1;
            if (searched <= maximumFrame) {
                return; // wait for the rest of the frame
            }
            oversizedStart = copy(in, start + 1, KEPT_OF_OVERSIZED);
            oversizedLength = 0;
            in.skipBytes(1);
            searched = 0;
        }
    }

    /** Skips what has arrived of an oversized frame; true once its end block was reached (and the frame emitted). */
    private boolean discardOversized(ByteBuf in, List<Object> out) {
        int end = endBlock(in, in.readerIndex());
        if (end < 0) {
            // An end block as the last byte may be completed by a carriage return in the next read.
            int kept = in.getByte(in.writerIndex() - 1) == END_BLOCK ? 1 : 0;
            int skipped = in.readableBytes() - kept;
            oversizedLength += skipped;
            in.skipBytes(skipped);
            return false;
        }
        oversizedLength += end - in.readerIndex();
        in.readerIndex(end + 2);
        out.add(new OversizedFrame(oversizedStart, oversizedLength));
        oversizedStart = null;
        return true;
    }

    /** Index of the first end block (0x1C followed by 0x0D) at or after {@code from}, -1 if none has arrived yet. */
    private static int endBlock(ByteBuf in, int from) {
        int limit = in.writerIndex();
        for (int at = in.indexOf(from, limit, END_BLOCK); at >= 0 && at + 1 < limit; at = in.indexOf(at + 1, limit, END_BLOCK)) {
            if (in.getByte(at + 1) == CARRIAGE_RETURN) {
                return at;
            }
        }
        return -1;
    }

    private static byte[] copy(ByteBuf in, int from, int length) {
        byte[] bytes = new byte[Math.min(length, in.writerIndex() - from)];
        in.getBytes(from, bytes);
        return bytes;
    }

    /** A new decoder per connection (it keeps the state of the frame being read). */
    static final class Factory extends DefaultChannelHandlerFactory {
        private final int maximumFrame;

        Factory(int maximumFrame) {
            this.maximumFrame = maximumFrame;
        }

        @Override
        public ChannelHandler newChannelHandler() {
            return new MllpFrameDecoder(maximumFrame);
        }
    }
}
