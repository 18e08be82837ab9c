package io.yibao.adapter;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A batch file as it arrived, already on disk: the exact bytes (never decoded by the gateway: the
 * adapter knows the format's encoding rules), the name the sender gave it, the declared content type if
 * any, and the institution the sender's client certificate (or file-drop directory) identifies.
 */
public record BatchFile(Path path, String name, String contentType, String senderInstitutionCode) {

    public BatchFile {
        Objects.requireNonNull(path, "path");
    }
}
