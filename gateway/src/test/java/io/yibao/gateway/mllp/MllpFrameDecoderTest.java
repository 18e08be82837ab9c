package io.yibao.gateway.mllp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MLLP framing with a size limit, fed the way TCP delivers: frames cut anywhere, several per read, junk between. */
class MllpFrameDecoderTest {
    private static final int LIMIT = 100;

    @Test
    void framesComeOutUntouchedWhetherCutAnywhereOrSeveralInOneRead() {
        byte[] first = "MSH|^~\\&|A\rPID|1\n".getBytes(StandardCharsets.UTF_8);
        byte[] second = "MSH|^~\\&|B\r".getBytes(StandardCharsets.UTF_8);
        byte[] stream = concat(framed(first), "junk".getBytes(StandardCharsets.US_ASCII), framed(second));
        for (int cut = 1; cut < stream.length; cut++) {
            EmbeddedChannel channel = new EmbeddedChannel(new MllpFrameDecoder(LIMIT));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, 0, cut)));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, cut, stream.length)));

            assertThat(read(channel)).as("cut at %d", cut).containsExactly(first, second);
        }
    }

    @Test
    void aFrameOfExactlyTheLimitPassesAndOneByteMoreComesOutAsOversizedWithItsStartAndLength() {
        byte[] atLimit = filled("MSH|^~\\&|OK\r", LIMIT);
        byte[] over = filled("MSH|^~\\&|BIG\r", LIMIT + 1);
        EmbeddedChannel channel = new EmbeddedChannel(new MllpFrameDecoder(LIMIT));

        channel.writeInbound(Unpooled.wrappedBuffer(concat(framed(atLimit), framed(over))));

        List<Object> out = read(channel);
        assertThat(out.get(0)).isEqualTo(atLimit);
        MllpFrameDecoder.OversizedFrame oversized = (MllpFrameDecoder.OversizedFrame) out.get(1);
        assertThat(oversized.length()).isEqualTo(LIMIT + 1);
        assertThat(new String(oversized.start(), StandardCharsets.US_ASCII)).startsWith("MSH|^~\\&|BIG\r");
    }

    @Test
    void anOversizedFrameArrivingInPiecesIsDiscardedAsItComesAndTheNextFrameStillDecodes() {
        int length = 50 * LIMIT;
        byte[] big = filled("MSH|^~\\&|BIG\r", length);
        byte[] next = "MSH|^~\\&|NEXT\r".getBytes(StandardCharsets.US_ASCII);
        byte[] stream = concat(framed(big), framed(next));
        // Pieces of 37 bytes, and a cut between the end block's two bytes of the big frame.
        int endBlock = 1 + length;
        EmbeddedChannel channel = new EmbeddedChannel(new MllpFrameDecoder(LIMIT));
        int at = 0;
        while (at < stream.length) {
            int to = at < endBlock && endBlock < at + 37 ? endBlock + 1 : Math.min(stream.length, at + 37);
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, at, to)));
            at = to;
        }

        List<Object> out = read(channel);
        assertThat(out).hasSize(2);
        MllpFrameDecoder.OversizedFrame oversized = (MllpFrameDecoder.OversizedFrame) out.get(0);
        assertThat(oversized.length()).isEqualTo(length);
        assertThat(oversized.start().length).isLessThanOrEqualTo(MllpFrameDecoder.KEPT_OF_OVERSIZED);
        assertThat(new String(oversized.start(), StandardCharsets.US_ASCII)).startsWith("MSH|^~\\&|BIG\r");
        assertThat(out.get(1)).isEqualTo(next);
    }

    private static List<Object> read(EmbeddedChannel channel) {
        List<Object> out = new ArrayList<>();
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            out.add(o);
        }
        return out;
    }

    private static byte[] framed(byte[] content) {
        return concat(new byte[] {MllpFrameDecoder.START_BLOCK}, content,
                new byte[] {MllpFrameDecoder.END_BLOCK, MllpFrameDecoder.CARRIAGE_RETURN});
    }

    /** {@code start} followed by 'x' up to {@code length} bytes. */
    private static byte[] filled(String start, int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'x');
        byte[] head = start.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, bytes, 0, head.length);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
