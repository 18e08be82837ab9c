package io.yibao.gateway.sftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The SFTP server's host key: Ed25519, in OpenSSH's private key format (readable by {@code ssh-keygen -l -f}),
 * generated on the first start and then only ever read. A file that exists but cannot be read stops the
 * start instead of being replaced: a new host key would make every institution's client refuse the server
 * (or, worse, teach them to accept a changed key).
 */
public final class SftpHostKey {

    private SftpHostKey() {}

    /** The key pair in {@code file}, generated and written (mode 0600, atomically) when there is none. */
    public static KeyPair loadOrCreate(Path file) throws IOException, GeneralSecurityException {
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, null);
                Iterator<KeyPair> first = pairs == null ? null : pairs.iterator();
                if (first == null || !first.hasNext()) {
                    throw new GeneralSecurityException("SFTP host key file " + file + " holds no key; restore it (a new key would change the "
                            + "fingerprint institutions trust) or delete it to generate one");
                }
                return first.next();
            }
        }
        KeyPair keyPair = SecurityUtils.getKeyPairGenerator("Ed25519").generateKeyPair();
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        // Created owner-only (where POSIX modes exist), so the private key is never readable by others, not even briefly.
        Path temporary = directory.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(directory, ".host-key", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(directory, ".host-key", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, "yibao-gateway sftp host key", null, out);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return keyPair;
    }

    /** The OpenSSH SHA-256 fingerprint ({@code SHA256:…}), as {@code ssh-keygen -l} and the client's first-connect prompt show it. */
    public static String fingerprint(KeyPair keyPair) {
        return KeyUtils.getFingerPrint(keyPair.getPublic());
    }
}
