package io.yibao.gateway.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload is spooled without buffering: a 64 MB body that exists nowhere in memory (generated as it is
 * read) is written to the spool, and every time the source is asked for more bytes, all but the last
 * buffer's worth of what it served is already in the spool file on disk. A spool that collected the body
 * first (readAllBytes, a byte[] body) would fail the first check. SHA-256 and size are those of the bytes.
 */
class BatchSpoolStreamingTest {
    private static final long SIZE = 64L * 1024 * 1024;
    /** The spool's copy buffer plus the source's last read: bytes that may be in flight, not yet on disk. */
    private static final long IN_FLIGHT = 2 * 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void aLargeUploadReachesTheSpoolWhileItIsStillBeingRead() throws Exception {
        BatchProperties properties = new BatchProperties();
        properties.setSpoolDir(dir);
        BatchSpool spool = new BatchSpool(properties);
        Path part = dir.resolve("batch-1.part");
        GeneratedBody body = new GeneratedBody(SIZE, part);

        BatchSpool.Spooled spooled = spool.write("batch-1", body);

        assertThat(body.checks).as("reads observed").isGreaterThan(100);
        assertThat(spooled.size()).isEqualTo(SIZE);
        assertThat(Files.size(spooled.path())).isEqualTo(SIZE);
        assertThat(spooled.sha256()).isEqualTo(HexFormat.of().formatHex(body.digest.digest()));
        assertThat(part).doesNotExist();
    }

    /** HL7-like text produced on demand; checks on every read that what it served so far is on disk. */
    private static final class GeneratedBody extends InputStream {
        private static final byte[] LINE = "OBX|1|ST|NOTE||synthetic batch content 0123456789|\r".getBytes();
        private final long size;
        private final Path spoolFile;
        private final MessageDigest digest;
        private long served;
        private int checks;

        GeneratedBody(long size, Path spoolFile) throws Exception {
            this.size = size;
            this.spoolFile = spoolFile;
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("read in blocks");
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (served > 0) {
                long onDisk = Files.exists(spoolFile) ? Files.size(spoolFile) : 0;
                assertThat(onDisk).as("bytes on disk after %d served", served).isGreaterThanOrEqualTo(served - IN_FLIGHT);
                checks++;
            }
            if (served == size) {
                return -1;
            }
            int n = (int) Math.min(length, size - served);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = LINE[(int) ((served + i) % LINE.length)];
            }
            digest.update(buffer, offset, n);
            served += n;
            return n;
        }
    }
}
