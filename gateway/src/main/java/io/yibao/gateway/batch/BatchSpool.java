package io.yibao.gateway.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * The spool: batch files on the gateway's disk, one per batch id, written and fsynced before the batch
 * is acknowledged. An upload is copied from the request stream through a fixed buffer while its SHA-256
 * is computed, so a file of any size passes with a few kilobytes of heap; a dropped file is renamed into
 * the spool (atomic on one file system) and then hashed by streaming.
 */
@Component
public class BatchSpool {
    private static final int BUFFER = 64 * 1024;

    /** A file in the spool: where, its SHA-256 (hex) and its size. */
    public record Spooled(Path path, String sha256, long size) {}

    private final Path directory;

    public BatchSpool(BatchProperties properties) throws IOException {
        this.directory = Files.createDirectories(properties.getSpoolDir()).toAbsolutePath();
    }

    /** Streams {@code in} to the spool as the file of batch {@code id}, fsynced; nothing is kept in memory. */
    public Spooled write(String id, InputStream in) throws IOException {
        Path part = directory.resolve(id + ".part");
        MessageDigest digest = sha256();
        long size = 0;
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, read);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                size += read;
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Path spooled = directory.resolve(id);
        Files.move(part, spooled, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        return new Spooled(spooled, HexFormat.of().formatHex(digest.digest()), size);
    }

    /**
     * Takes a dropped file into the spool as the file of batch {@code id}: a rename when the drop area is on
     * the spool's file system (as it should be), else a streamed copy; fsynced either way.
     */
    public Spooled adopt(String id, Path dropped) throws IOException {
        Path spooled = directory.resolve(id);
        try {
            Files.move(dropped, spooled, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException otherFileSystem) {
            Spooled copied;
            try (InputStream in = Files.newInputStream(dropped)) {
                copied = write(id, in);
            }
            Files.delete(dropped);
            return copied;
        }
        MessageDigest digest = sha256();
        long size = 0;
        try (FileChannel file = FileChannel.open(spooled, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            while (file.read(buffer) >= 0) {
                buffer.flip();
                size += buffer.remaining();
                digest.update(buffer);
                buffer.clear();
            }
            file.force(true);
        }
        syncDirectory();
        return new Spooled(spooled, HexFormat.of().formatHex(digest.digest()), size);
    }

    /** Makes the renames in the spool durable (a directory fsync; not every platform allows one). */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Windows cannot open a directory as a channel; its renames are journaled by NTFS.
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
