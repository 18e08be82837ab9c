package io.yibao.gateway.batch;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Route {@code batch-file-drop}: polls {@code <yibao.batch.drop-dir>/<institution>/<adapter>/incoming/}
 * and hands each file to {@link BatchFileDrop}, which moves it into the spool (or refuses it). Camel
 * neither moves nor deletes the file itself ({@code noop}); a file is taken once it has stopped changing
 * ({@code readLock=changed}); senders should still write under a hidden name ({@code .name}, skipped) and
 * rename. Only when {@code yibao.batch.drop-dir} is set.
 */
@Component
@ConditionalOnProperty("yibao.batch.drop-dir")
public class BatchFileDropRoute extends RouteBuilder {
    private final BatchProperties properties;

    public BatchFileDropRoute(BatchProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        // The poll interval comes from the typed property (a Duration), which Camel's delay option cannot read as written.
        from("file:{{yibao.batch.drop-dir}}?recursive=true&antInclude=*/*/incoming/*&noop=true&idempotent=false"
                + "&readLock=changed&readLockCheckInterval=500&readLockMarkerFile=false&delay=" + properties.getDropPollInterval().toMillis())
                .routeId("batch-file-drop")
                .bean(BatchFileDrop.class, "accept(${header.CamelFileAbsolutePath})");
    }
}
