package io.yibao.gateway.sftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.session.SessionContext;

/**
 * Each SFTP session's file system: {@code <drop>/<institution>/} as its root, through SSHD's rooted file
 * system (paths are resolved inside the root; {@code ..} stops at it and a link pointing outside is
 * refused). The institution's {@code <adapter>/incoming/} directories are created at log-in for every
 * adapter it may drop batch files for, so {@code ls} shows where uploads go.
 */
public class InstitutionDropFileSystemFactory extends VirtualFileSystemFactory {
    private final Path dropRoot;
    private final DropAreaPolicy policy;

    public InstitutionDropFileSystemFactory(Path dropRoot, DropAreaPolicy policy) {
        super(dropRoot);
        this.dropRoot = dropRoot;
        this.policy = policy;
    }

    @Override
    public Path getUserHomeDir(SessionContext session) throws IOException {
        String institution = session.getUsername();
        // Authentication admitted only institution codes; checked again because the name becomes a path.
        if (!InstitutionKeyAuthenticator.isInstitutionCode(institution)) {
            throw new IOException("not an institution code: " + institution);
        }
        Path home = dropRoot.resolve(institution);
        for (String adapter : policy.dropAdapters(institution)) {
            Files.createDirectories(home.resolve(adapter).resolve(DropAreaPolicy.INCOMING));
        }
        return Files.createDirectories(home);
    }
}
