package io.yibao.gateway.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system, {@code jdbc:h2:forces:file:...}, over the default one, that counts the forces of database files
 * to the device ({@link FileChannel#force}): what a test of durability must see, and no statement shows.
 */
public final class ForceCountingFilePath extends FilePathWrapper {
    private static final AtomicLong FORCES = new AtomicLong();

    static {
        FilePath.register(new ForceCountingFilePath());
    }

    /** The URL prefix for a database file at {@code path}, registering this file system first. */
    public static String url(java.nio.file.Path path) {
        return "jdbc:h2:forces:file:" + path;
    }

    /** Forces of database files ({@code .mv.db}) so far, in this JVM. */
    public static long forces() {
        return FORCES.get();
    }

    @Override
    public String getScheme() {
        return "forces";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel channel = super.open(mode);
        return name.endsWith(".mv.db") ? new Counting(channel) : channel;
    }

    private static final class Counting extends FileBase {
        private final FileChannel channel;

        Counting(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            FORCES.incrementAndGet();
            channel.force(metaData);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long position) throws IOException {
            channel.position(position);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return channel.write(src, position);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            channel.truncate(size);
            return this;
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return channel.tryLock(position, size, shared);
        }
    }
}
