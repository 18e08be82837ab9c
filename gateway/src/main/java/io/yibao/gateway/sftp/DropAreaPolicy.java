package io.yibao.gateway.sftp;

import io.yibao.adapter.Adapters;
import io.yibao.gateway.batch.BatchIntake;
import io.yibao.gateway.ingress.InboundReception.Refused;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What an institution may do in its SFTP view of the drop area ({@code <drop>/<institution>/} is its
 * {@code /}): read anything there (its reports in {@code done/} and {@code refused/}); write, replace,
 * rename and delete only files directly in {@code /<adapter>/incoming/} of an adapter it may send batch
 * files to (the same check as the file-drop route and the HTTP upload: {@link BatchIntake#refusal}, which
 * asks the enrollment registry). Everything the gateway has taken or written is read-only to it; the
 * directories are the gateway's. A refusal says why, in the words the institution will see.
 */
public class DropAreaPolicy {
    static final String INCOMING = "incoming";

    private final BatchIntake intake;
    private final Adapters adapters;

    public DropAreaPolicy(BatchIntake intake, Adapters adapters) {
        this.intake = intake;
        this.adapters = adapters;
    }

    /** The adapters {@code institution} may drop batch files for: its {@code /<adapter>/incoming/} directories. */
    public List<String> dropAdapters(String institution) {
        return adapters.all().keySet().stream().filter(adapter -> intake.refusal(institution, adapter).isEmpty()).sorted().toList();
    }

    /** {@code path} (absolute in the institution's view) may be written: a file in an enrolled adapter's {@code incoming/}. */
    public void checkWrite(String institution, Path path) throws DropAreaAccessDenied {
        Path normalized = normalized(path);
        if (normalized.getNameCount() != 3 || !normalized.getName(1).toString().equals(INCOMING)) {
            throw new DropAreaAccessDenied("Permission denied: " + normalized + " is not in an incoming directory; upload batch files to "
                    + "/<adapter>/incoming/<file> (yours: " + String.join(", ", dropAdapters(institution).stream()
                    .map(adapter -> "/" + adapter + "/" + INCOMING + "/").toList()) + ")");
        }
        String adapter = normalized.getName(0).toString();
        Optional<Refused> refused = intake.refusal(institution, adapter);
        if (refused.isPresent()) {
            throw new DropAreaAccessDenied("Permission denied: " + refused.get().rule() + ": " + refused.get().message());
        }
    }

    /** {@code path} may be removed or renamed: only the institution's own files not yet taken, in {@code incoming/}. */
    public void checkRemove(String institution, Path path) throws DropAreaAccessDenied {
        Path normalized = normalized(path);
        if (normalized.getNameCount() != 3 || !normalized.getName(1).toString().equals(INCOMING)) {
            throw new DropAreaAccessDenied("Permission denied: " + normalized + " is the gateway's (files it has taken and their "
                    + "reports are read-only)");
        }
        checkWrite(institution, normalized);
    }

    /** Directories, links, copies and attributes: the gateway's alone. */
    public DropAreaAccessDenied notAllowed(String operation, Path path) {
        return new DropAreaAccessDenied("Permission denied: " + operation + " is not allowed in the drop area (" + normalized(path) + ")");
    }

    private static Path normalized(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
