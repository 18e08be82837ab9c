package io.yibao.gateway.sftp;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The embedded SFTP server of the batch drop area ({@code yibao.sftp.*}); docs/security.md. */
@Validated
@ConfigurationProperties("yibao.sftp")
public class SftpProperties {

    /** Start the SFTP server (needs {@code yibao.batch.drop-dir}). Off by default. */
    private boolean enabled;

    /** Address to bind; 0.0.0.0 is every interface. */
    @NotBlank
    private String host = "0.0.0.0";

    /** TCP port (not 22: the gateway is not the machine's SSH server). */
    @Min(1)
    @Max(65535)
    private int port = 2222;

    /**
     * The server's Ed25519 host key (OpenSSH format, mode 0600): generated on the first start and kept, so
     * the fingerprint institutions pinned stays the same across restarts. application.yaml derives it from
     * {@code yibao.data-dir}.
     */
    @NotNull
    private Path hostKey;

    /**
     * Institutions' public keys: {@code <dir>/<institution code>.pub} and/or
     * {@code <dir>/<institution code>/authorized_keys}, OpenSSH {@code authorized_keys} lines. Read at every
     * log-in, so adding or revoking a key needs no restart.
     */
    @NotNull
    private Path authorizedKeysDir = Path.of("var/pki/ssh");

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public Path getHostKey() {
        return hostKey;
    }

    public void setHostKey(Path hostKey) {
        this.hostKey = hostKey;
    }

    public Path getAuthorizedKeysDir() {
        return authorizedKeysDir;
    }

    public void setAuthorizedKeysDir(Path authorizedKeysDir) {
        this.authorizedKeysDir = authorizedKeysDir;
    }
}
