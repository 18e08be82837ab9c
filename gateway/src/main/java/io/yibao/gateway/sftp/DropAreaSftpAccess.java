package io.yibao.gateway.sftp;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Principal;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.file.root.RootedFileSystem;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFTP server's file operations on the drop area: {@link DropAreaPolicy} decides what an institution
 * may do, and uploads are staged so the file-drop poller never sees a partial file.
 *
 * <p><b>Upload atomicity.</b> A file opened for writing at {@code /<adapter>/incoming/<name>} is written to a
 * hidden sibling {@code .<name>.<random>.sftp-part} (the poller skips hidden files). Only when the client
 * closes the handle itself (SSH_FXP_CLOSE, seen as {@link #closing}) and every write succeeded is it
 * fsynced and renamed to {@code <name>} in one atomic rename; the poller then sees the whole file or
 * nothing. A handle closed because the session ended (a dropped connection, the client killed: SSHD closes
 * open handles on exit without a CLOSE request) is discarded and its hidden file deleted, so an interrupted
 * upload leaves nothing in {@code incoming/}. SFTP itself has no "upload complete" signal beyond CLOSE: a
 * client that closes after a partial write (some do on Ctrl-C) delivers what it wrote; the batch check
 * (trailer counts and sums, HL7 BTS) rejects such a file as a whole. {@link #discardStaleUploads} removes
 * hidden files left by a gateway that stopped mid-upload.
 */
public class DropAreaSftpAccess implements SftpFileSystemAccessor, SftpEventListener {
    private static final Logger log = LoggerFactory.getLogger(DropAreaSftpAccess.class);

    static final String STAGING_SUFFIX = ".sftp-part";

    /** The hidden file an upload handle really writes to. */
    private static final AttributeKey<Path> STAGING = new AttributeKey<>();
    /** Set when the client sent CLOSE for the handle (as opposed to the session ending). */
    private static final AttributeKey<Boolean> CLOSE_REQUESTED = new AttributeKey<>();
    /** Set when a write on the handle failed: the staged file is incomplete. */
    private static final AttributeKey<Boolean> WRITE_FAILED = new AttributeKey<>();

    private static final Set<StandardOpenOption> WRITING = EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
            StandardOpenOption.CREATE, StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.DELETE_ON_CLOSE);

    private final DropAreaPolicy policy;

    public DropAreaSftpAccess(DropAreaPolicy policy) {
        this.policy = policy;
    }

    // --- confinement -------------------------------------------------------------------------------------

    /**
     * Every path a client names passes here. SSHD's rooted file system already keeps {@code ..} inside the
     * root, but it follows a symbolic link wherever it points; so the path (or, when it does not exist yet, its
     * nearest existing ancestor) must resolve, links followed, to a place inside the institution's directory.
     * Institutions cannot create links ({@link #createLink}); this stops a link an operator placed.
     */
    @Override
    public Path resolveLocalFilePath(SftpSubsystemProxy subsystem, Path rootDir, String remotePath) throws IOException {
        Path resolved = SftpFileSystemAccessor.super.resolveLocalFilePath(subsystem, rootDir, remotePath);
        if (!(resolved.getFileSystem() instanceof RootedFileSystem rooted)) {
            throw new IllegalStateException("the SFTP file system is not rooted: " + resolved.getFileSystem());
        }
        Path root = rooted.getRoot();
        Path shown = resolved.toAbsolutePath().normalize();
        Path local = root;
        for (Path name : shown) {
            local = local.resolve(name.toString());
        }
        Path realRoot = root.toRealPath();
        for (Path existing = local; existing != null && existing.startsWith(root); existing = existing.getParent()) {
            if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                Path real;
                try {
                    real = existing.toRealPath();
                } catch (NoSuchFileException danglingLink) {
                    throw new DropAreaAccessDenied("Permission denied: " + shown + " leads outside your directory");
                }
                if (!real.startsWith(realRoot)) {
                    throw new DropAreaAccessDenied("Permission denied: " + shown + " leads outside your directory");
                }
                break;
            }
        }
        return resolved;
    }

    // --- uploads ------------------------------------------------------------------------------------------

    @Override
    public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
                                        Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        if (options.stream().noneMatch(WRITING::contains)) {
            return SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle, options);
        }
        policy.checkWrite(institution(subsystem), file);
        if (options.contains(StandardOpenOption.APPEND) || options.contains(StandardOpenOption.DELETE_ON_CLOSE)
                || (!options.contains(StandardOpenOption.TRUNCATE_EXISTING) && Files.exists(file))) {
            throw new DropAreaAccessDenied("Permission denied: an upload replaces the whole file (no append or resume): "
                    + file.toAbsolutePath().normalize());
        }
        if (options.contains(StandardOpenOption.CREATE_NEW) && Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toAbsolutePath().normalize().toString());
        }
        Path staging = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + STAGING_SUFFIX);
        // The client's permission attributes are not applied: the drop area's modes are the gateway's.
        SeekableByteChannel channel = SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, staging, handle,
                EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW));
        fileHandle.setAttribute(STAGING, staging);
        return channel;
    }

    @Override
    public void closing(ServerSession session, String remoteHandle, Handle localHandle) {
        localHandle.setAttribute(CLOSE_REQUESTED, Boolean.TRUE);
    }

    @Override
    public void written(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data, int dataOffset,
                        int dataLen, Throwable thrown) {
        if (thrown != null) {
            localHandle.setAttribute(WRITE_FAILED, Boolean.TRUE);
        }
    }

    @Override
    public void closeFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle, Channel channel,
                          Set<? extends OpenOption> options) throws IOException {
        Path staging = fileHandle.getAttribute(STAGING);
        if (staging == null) {
            SftpFileSystemAccessor.super.closeFile(subsystem, fileHandle, file, handle, channel, options);
            return;
        }
        boolean complete = Boolean.TRUE.equals(fileHandle.getAttribute(CLOSE_REQUESTED)) && fileHandle.getAttribute(WRITE_FAILED) == null;
        String institution = institution(subsystem);
        Path shown = file.toAbsolutePath().normalize();
        try {
            if (complete && channel instanceof FileChannel fileChannel && fileChannel.isOpen()) {
                fileChannel.force(true);
            }
        } finally {
            channel.close();
        }
        if (!complete) {
            Files.deleteIfExists(staging);
            if (Boolean.TRUE.equals(fileHandle.getAttribute(CLOSE_REQUESTED))) {
                log.warn("SFTP upload {} by {} not delivered: a write failed", shown, institution);
                throw new IOException("Upload of " + shown + " not delivered: a write failed; send the file again");
            }
            log.info("SFTP upload {} by {} abandoned (the session ended before the client closed the file); nothing delivered", shown,
                    institution);
            return;
        }
        long size = Files.size(staging);
        try {
            Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(staging);
            throw e;
        }
        log.info("SFTP upload {} by {} complete: {} bytes", shown, institution, size);
    }

    /** Deletes hidden upload files in {@code <drop>/<institution>/<adapter>/incoming/} left by a stop mid-upload. */
    static void discardStaleUploads(Path dropRoot) throws IOException {
        if (!Files.isDirectory(dropRoot)) {
            return;
        }
        try (var files = Files.find(dropRoot, 4, (path, attributes) -> attributes.isRegularFile()
                && path.getFileName().toString().startsWith(".") && path.getFileName().toString().endsWith(STAGING_SUFFIX)
                && path.getParent().getFileName().toString().equals(DropAreaPolicy.INCOMING))) {
            for (Path stale : files.toList()) {
                log.info("discarding an SFTP upload left unfinished by the last stop: {}", dropRoot.relativize(stale));
                Files.deleteIfExists(stale);
            }
        }
    }

    // --- everything else that changes the drop area ------------------------------------------------------

    @Override
    public void removeFile(SftpSubsystemProxy subsystem, Path path, boolean isDirectory) throws IOException {
        if (isDirectory) {
            throw policy.notAllowed("removing a directory", path);
        }
        policy.checkRemove(institution(subsystem), path);
        SftpFileSystemAccessor.super.removeFile(subsystem, path, false);
    }

    @Override
    public void renameFile(SftpSubsystemProxy subsystem, Path oldPath, Path newPath, Collection<CopyOption> opts) throws IOException {
        String institution = institution(subsystem);
        policy.checkRemove(institution, oldPath);
        policy.checkWrite(institution, newPath);
        SftpFileSystemAccessor.super.renameFile(subsystem, oldPath, newPath, opts);
    }

    @Override
    public void copyFile(SftpSubsystemProxy subsystem, Path src, Path dst, Collection<CopyOption> opts) throws IOException {
        // A server-side copy into incoming/ would not be atomic: the poller could take it half-copied.
        throw policy.notAllowed("copying", dst);
    }

    @Override
    public void createDirectory(SftpSubsystemProxy subsystem, Path path) throws IOException {
        throw policy.notAllowed("creating a directory", path);
    }

    @Override
    public void createLink(SftpSubsystemProxy subsystem, Path link, Path existing, boolean symLink) throws IOException {
        throw policy.notAllowed("creating a link", link);
    }

    @Override
    public void setFileAttribute(SftpSubsystemProxy subsystem, Path file, String view, String attribute, Object value,
                                 LinkOption... options) throws IOException {
        throw policy.notAllowed("changing attributes", file);
    }

    @Override
    public void setFileOwner(SftpSubsystemProxy subsystem, Path file, Principal value, LinkOption... options) throws IOException {
        throw policy.notAllowed("changing the owner", file);
    }

    @Override
    public void setGroupOwner(SftpSubsystemProxy subsystem, Path file, Principal value, LinkOption... options) throws IOException {
        throw policy.notAllowed("changing the group", file);
    }

    @Override
    public void setFilePermissions(SftpSubsystemProxy subsystem, Path file, Set<PosixFilePermission> perms, LinkOption... options)
            throws IOException {
        throw policy.notAllowed("changing permissions", file);
    }

    @Override
    public void setFileAccessControl(SftpSubsystemProxy subsystem, Path file, List<AclEntry> acl, LinkOption... options) throws IOException {
        throw policy.notAllowed("changing access control", file);
    }

    private static String institution(SftpSubsystemProxy subsystem) {
        return subsystem.getServerSession().getUsername();
    }
}
