package io.yibao.gateway.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The gateway's own SFTP server for the batch drop area (Apache MINA SSHD): SFTP only (no shell, no exec,
 * no forwarding), public-key authentication only ({@link InstitutionKeyAuthenticator}: the key is the
 * identity, the user name the institution code), each session chrooted to its institution's drop directory
 * ({@link InstitutionDropFileSystemFactory}), what it may change decided by {@link DropAreaPolicy}, uploads
 * staged so the file-drop route sees whole files only ({@link DropAreaSftpAccess}). Files that arrive are
 * taken by the existing {@code batch-file-drop} route exactly as files written by any other means.
 */
public class DropAreaSftpServer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(DropAreaSftpServer.class);

    private final SftpProperties properties;
    private final Path dropRoot;
    private final DropAreaPolicy policy;
    private volatile SshServer server;

    public DropAreaSftpServer(SftpProperties properties, Path dropRoot, DropAreaPolicy policy) {
        this.properties = properties;
        this.dropRoot = dropRoot.toAbsolutePath().normalize();
        this.policy = policy;
    }

    @Override
    public void start() {
        try {
            DropAreaSftpAccess.discardStaleUploads(dropRoot);
            KeyPair hostKey = SftpHostKey.loadOrCreate(properties.getHostKey());
            DropAreaSftpAccess access = new DropAreaSftpAccess(policy);
            SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder()
                    .withFileSystemAccessor(access)
                    .withSftpErrorStatusDataHandler(new ReasonInStatusMessage())
                    .build();
            sftp.addSftpEventListener(access);

            SshServer ssh = SshServer.setUpDefaultServer();
            ssh.setHost(properties.getHost());
            ssh.setPort(properties.getPort());
            ssh.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
            ssh.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
            ssh.setPublickeyAuthenticator(new InstitutionKeyAuthenticator(properties.getAuthorizedKeysDir()));
            ssh.setPasswordAuthenticator(null);
            ssh.setKeyboardInteractiveAuthenticator(null);
            ssh.setGSSAuthenticator(null);
            ssh.setHostBasedAuthenticator(null);
            ssh.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
            ssh.setFileSystemFactory(new InstitutionDropFileSystemFactory(dropRoot, policy));
            ssh.setSubsystemFactories(List.of(sftp));
            CoreModuleProperties.MAX_AUTH_REQUESTS.set(ssh, 6);
            CoreModuleProperties.AUTH_TIMEOUT.set(ssh, Duration.ofSeconds(30));
            ssh.start();
            server = ssh;
            log.info("SFTP drop area listening on {}:{}, root {}; host key {} {}", properties.getHost(), ssh.getPort(), dropRoot,
                    properties.getHostKey(), SftpHostKey.fingerprint(hostKey));
        } catch (IOException e) {
            throw new UncheckedIOException("SFTP server did not start on " + properties.getHost() + ":" + properties.getPort(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SFTP host key " + properties.getHostKey() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        SshServer ssh = server;
        server = null;
        if (ssh != null) {
            try {
                ssh.stop(true);
            } catch (IOException e) {
                log.warn("SFTP server did not stop cleanly: {}", e.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The port listened on (the configured one; the bound one when 0 was configured). */
    public int port() {
        SshServer ssh = server;
        return ssh == null ? properties.getPort() : ssh.getPort();
    }

    /** A refusal of the drop area goes to the client with its reason; other errors with SSHD's standard text. */
    private static final class ReasonInStatusMessage implements SftpErrorStatusDataHandler {
        @Override
        public String resolveErrorMessage(SftpSubsystemEnvironment sftpSubsystem, int id, Throwable e, int subStatus, int cmd, Object... args) {
            if (e instanceof DropAreaAccessDenied denied) {
                log.info("SFTP request of {} refused: {}", sftpSubsystem.getServerSession().getUsername(), denied.getMessage());
                return denied.getMessage();
            }
            return SftpErrorStatusDataHandler.super.resolveErrorMessage(sftpSubsystem, id, e, subStatus, cmd, args);
        }
    }
}
