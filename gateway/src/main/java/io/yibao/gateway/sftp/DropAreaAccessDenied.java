package io.yibao.gateway.sftp;

import java.nio.file.AccessDeniedException;

/**
 * An SFTP operation the drop area does not allow; its reason is sent to the client as the status message
 * of SSH_FX_PERMISSION_DENIED (see {@link DropAreaSftpServer}), so the institution reads why.
 */
public class DropAreaAccessDenied extends AccessDeniedException {

    public DropAreaAccessDenied(String reason) {
        super(null, null, reason);
    }
}
