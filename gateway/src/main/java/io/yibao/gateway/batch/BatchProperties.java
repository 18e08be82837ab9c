package io.yibao.gateway.batch;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Batch files ({@code yibao.batch.*}): where they are spooled and dropped, and how they are split. */
@Validated
@ConfigurationProperties("yibao.batch")
public class BatchProperties {

    /**
     * Directory batch files are spooled to (fsynced) before they are acknowledged; same file system as the drop area.
     * application.yaml derives it from {@code yibao.data-dir}.
     */
    @NotNull
    private Path spoolDir;

    /**
     * Root of the file-drop area, {@code <drop-dir>/<institution>/<adapter>/incoming/}; the directory is the
     * sender's identity (docs/security.md). Unset: no file-drop route.
     */
    private Path dropDir;

    /** How often the drop area is polled. */
    @NotNull
    private Duration dropPollInterval = Duration.ofSeconds(2);

    /** Records per database transaction while a batch is split, and per chunk through the pipeline (one queue message, one transmission). */
    @Positive
    private int chunkSize = 100;

    /** How often batches in progress are checked for completion (reports are written then). */
    @NotNull
    private Duration completionCheckInterval = Duration.ofSeconds(2);

    /** A batch not checked or split within this time (a crash, a lost queue message) is queued again. */
    @NotNull
    private Duration stalledAfter = Duration.ofMinutes(2);

    public Path getSpoolDir() {
        return spoolDir;
    }

    public void setSpoolDir(Path spoolDir) {
        this.spoolDir = spoolDir;
    }

    public Path getDropDir() {
        return dropDir;
    }

    public void setDropDir(Path dropDir) {
        this.dropDir = dropDir;
    }

    public Duration getDropPollInterval() {
        return dropPollInterval;
    }

    public void setDropPollInterval(Duration dropPollInterval) {
        this.dropPollInterval = dropPollInterval;
    }

    public int getChunkSize() {
        return chunkSize;
    }

    public void setChunkSize(int chunkSize) {
        this.chunkSize = chunkSize;
    }

    public Duration getCompletionCheckInterval() {
        return completionCheckInterval;
    }

    public void setCompletionCheckInterval(Duration completionCheckInterval) {
        this.completionCheckInterval = completionCheckInterval;
    }

    public Duration getStalledAfter() {
        return stalledAfter;
    }

    public void setStalledAfter(Duration stalledAfter) {
        this.stalledAfter = stalledAfter;
    }
}
