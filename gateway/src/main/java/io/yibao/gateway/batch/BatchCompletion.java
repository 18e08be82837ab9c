package io.yibao.gateway.batch;

import io.yibao.gateway.ledger.MessageStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The end of a batch's life, checked every {@code yibao.batch.completion-check-interval}: a batch whose
 * records are all final (DELIVERED, REJECTED, DEAD_LETTERED) is COMPLETE; then, and at once for a
 * rejected batch, a dropped file moves to {@code <institution>/<adapter>/done/} with its report
 * {@code <name>.report.json} beside it, and an uploaded file leaves the spool (its records are in the
 * ledger; the report is at {@code /api/v1/batches/{id}/report}). A record that leaves a final status later (a
 * replay from quarantine) reopens the batch ({@link BatchRecordCounts}); when it is final again the batch completes
 * again and the report next to the file is rewritten in place. Also re-queues batches that stalled
 * before or while splitting (a crash, a queue message lost): splitting resumes at its checkpoint.
 */
@Component
public class BatchCompletion implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(BatchCompletion.class);

    private final BatchLedger ledger;
    private final BatchReport report;
    private final BatchMetrics metrics;
    private final BatchProperties properties;
    private final ProducerTemplate producer;
    private final Clock clock;

    public BatchCompletion(BatchLedger ledger, BatchReport report, BatchMetrics metrics, BatchProperties properties,
                           ProducerTemplate producer, Clock clock) {
        this.ledger = ledger;
        this.report = report;
        this.metrics = metrics;
        this.properties = properties;
        this.producer = producer;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        Duration interval = properties.getCompletionCheckInterval();
        tasks.addFixedDelayTask(new FixedDelayTask(this::sweep, interval, interval));
    }

    void sweep() {
        for (String id : ledger.idsInStatusBefore(BatchStatus.IN_PROGRESS, clock.instant().plusSeconds(1), 100)) {
            completeIfDone(id);
        }
        for (BatchStatus stalled : new BatchStatus[] {BatchStatus.RECEIVED, BatchStatus.CHECKING, BatchStatus.SPLITTING}) {
            for (String id : ledger.idsInStatusBefore(stalled, clock.instant().minus(properties.getStalledAfter()), 100)) {
                log.info("batch {} stalled in {}; queued again", id, stalled);
                producer.sendBody(BatchRoutes.BATCHES, id);
            }
        }
    }

    /** COMPLETE when no record of the batch is waiting any more (read from its counters, not recounted). */
    void completeIfDone(String id) {
        if (!ledger.completeIfNoneWaiting(id)) {
            return;
        }
        BatchEntry batch = ledger.find(id).orElseThrow();
        Map<MessageStatus, Long> counts = ledger.recordCounts(id);
        log.info("batch {} complete{}: {} delivered, {} rejected, {} dead-lettered, {} sent before", id,
                batch.reportPath() == null ? "" : " again (a record changed after completion)",
                counts.getOrDefault(MessageStatus.DELIVERED, 0L), counts.getOrDefault(MessageStatus.REJECTED, 0L),
                counts.getOrDefault(MessageStatus.DEAD_LETTERED, 0L), batch.duplicateRecords());
        metrics.batch(batch.adapter(), "complete");
        finish(batch);
    }

    /**
     * A final batch: its report next to a dropped file (moved to done/; a report written before, when the batch
     * completed earlier, is replaced in place), or an uploaded file's spool copy removed.
     */
    void finish(BatchEntry batch) {
        try {
            Path spooled = Path.of(batch.spoolPath());
            if (batch.dropDir() == null) {
                Files.deleteIfExists(spooled);
                return;
            }
            Path done = Files.createDirectories(Path.of(batch.dropDir()).resolve("done"));
            String name = batch.fileName();
            Path reportFile;
            if (batch.reportPath() != null) {
                reportFile = Path.of(batch.reportPath());
            } else {
                if (Files.exists(done.resolve(name)) || Files.exists(done.resolve(name + ".report.json"))) {
                    name = name + "." + batch.id();
                }
                reportFile = done.resolve(name + ".report.json");
            }
            Path part = reportFile.resolveSibling("." + reportFile.getFileName() + ".part");
            try (OutputStream out = Files.newOutputStream(part)) {
                report.write(batch, out);
            }
            Files.move(part, reportFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (batch.reportPath() == null) {
                ledger.recordReportPath(batch.id(), reportFile.toString());
            }
            if (Files.exists(spooled)) {
                Files.move(spooled, done.resolve(name));
            }
        } catch (IOException e) {
            log.warn("batch {}: the report could not be written next to the file ({}); it is available over the API", batch.id(),
                    e.getMessage());
        }
    }
}
