package io.yibao.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SftpHostKey}: generated once (Ed25519, owner-only), then the same key on every start; never silently replaced. */
class SftpHostKeyTest {

    @TempDir
    Path dir;

    @Test
    void theKeyGeneratedOnTheFirstStartIsTheOneReadOnTheNext() throws Exception {
        Path file = dir.resolve("var/gateway/sftp/ssh_host_ed25519_key");

        KeyPair first = SftpHostKey.loadOrCreate(file);
        byte[] written = Files.readAllBytes(file);
        KeyPair again = SftpHostKey.loadOrCreate(file);

        assertThat(KeyUtils.getKeyType(first.getPublic())).isEqualTo("ssh-ed25519");
        assertThat(SftpHostKey.fingerprint(again)).isEqualTo(SftpHostKey.fingerprint(first)).startsWith("SHA256:");
        assertThat(Files.readAllBytes(file)).isEqualTo(written);
        assertThat(new String(written, java.nio.charset.StandardCharsets.US_ASCII)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void aHostKeyFileThatCannotBeReadStopsTheStartInsteadOfBeingReplaced() throws Exception {
        Path file = dir.resolve("ssh_host_ed25519_key");
        Files.writeString(file, "not a key\n");

        assertThatThrownBy(() -> SftpHostKey.loadOrCreate(file)).isInstanceOfAny(GeneralSecurityException.class, java.io.IOException.class);
        assertThat(file).hasContent("not a key");
    }
}
