package io.yibao.gateway.batch;

import io.yibao.adapter.Adapters;
import io.yibao.adapter.BatchCheck;
import io.yibao.adapter.BatchFile;
import io.yibao.adapter.BatchReader;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.RecordStream;
import io.yibao.gateway.ingress.EnrollmentRegistry;
import io.yibao.gateway.ingress.IngressBackPressure;
import io.yibao.gateway.ledger.LedgerIds;
import io.yibao.gateway.pipeline.ChunkProcessor;
import io.yibao.gateway.pipeline.Outcomes;
import io.yibao.gateway.pipeline.PipelineRoutes;
import io.yibao.standards.validation.ValidationIssue;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Checks and splits one batch file (the logic behind route {@code batch-process}). Pass 1 is the
 * adapter's check over the whole file plus the claimed institution against the sender's enrollment: any
 * error rejects the batch as a whole and no record is released. Pass 2 streams the records into the
 * ledger, each as a RECEIVED message of its own, a chunk per database transaction together with the
 * checkpoint {@code next_record}; then the chunk's ids go onto the chunk queue as one message and the
 * pipeline takes the chunk on ({@link ChunkProcessor}). Re-running after a crash resumes at the checkpoint; a record's dedupe key
 * (its sender id, else the file's SHA-256 and its number) keeps it from ever being recorded twice, and
 * ids committed but not queued are re-queued by the recovery sweep.
 */
@Service
public class BatchSplitter {
    private static final Logger log = LoggerFactory.getLogger(BatchSplitter.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final int ATTEMPTS_PER_CHUNK = 3;
    /** The chunk queue's JMS name (the pipeline's endpoint URI without its scheme). */
    private static final String CHUNK_QUEUE = PipelineRoutes.CHUNKS.substring("jms:queue:".length());

    private final BatchLedger ledger;
    private final Adapters adapters;
    private final EnrollmentRegistry enrollments;
    private final ConnectionFactory jms;
    private final BatchCompletion completion;
    private final BatchMetrics metrics;
    private final BatchProperties properties;
    private final IngressBackPressure backPressure;
    private final Clock clock;

    public BatchSplitter(BatchLedger ledger, Adapters adapters, EnrollmentRegistry enrollments, ConnectionFactory jms,
                         BatchCompletion completion, BatchMetrics metrics, BatchProperties properties,
                         IngressBackPressure backPressure, Clock clock) {
        this.ledger = ledger;
        this.adapters = adapters;
        this.enrollments = enrollments;
        this.jms = jms;
        this.completion = completion;
        this.metrics = metrics;
        this.properties = properties;
        this.backPressure = backPressure;
        this.clock = clock;
    }

    /** Takes the batch as far as it goes: checked, split and handed to the pipeline (or rejected). */
    public void process(String batchId) throws IOException {
        BatchEntry batch = ledger.find(batchId).orElseThrow(() -> new IllegalStateException("no batch " + batchId));
        BatchReader reader = adapters.byId(batch.adapter()).flatMap(a -> a.batches())
                .orElseThrow(() -> new IllegalStateException("adapter " + batch.adapter() + " reading batch files is not on the class path"));
        BatchFile file = new BatchFile(Path.of(batch.spoolPath()), batch.fileName(), batch.contentType(), batch.institution());
        if (batch.status() == BatchStatus.RECEIVED) {
            ledger.transition(batchId, BatchStatus.RECEIVED, BatchStatus.CHECKING);
        }
        if (batch.status() == BatchStatus.RECEIVED || batch.status() == BatchStatus.CHECKING) {
            if (!check(batch, reader, file)) {
                return;
            }
        }
        BatchEntry splitting = ledger.find(batchId).orElseThrow();
        if (splitting.status() == BatchStatus.SPLITTING) {
            split(splitting, reader, file);
        }
    }

    private boolean check(BatchEntry batch, BatchReader reader, BatchFile file) throws IOException {
        BatchCheck check = reader.check(file);
        List<ValidationIssue> issues = new ArrayList<>(check.issues());
        check.claimedInstitutionCode().flatMap(claimed -> enrollments.checkClaim(batch.institution(), claimed)).ifPresent(refusal ->
                issues.add(new ValidationIssue(IssueSeverity.ERROR, IssueType.SECURITY, refusal.rule(), null, refusal.message(),
                        refusal.messageZh())));
        if (issues.stream().anyMatch(ValidationIssue::isError)) {
            ledger.reject(batch.id(), Outcomes.toJson(issues));
            log.info("batch {} rejected as a whole: {} file-level errors, rules {}", batch.id(),
                    issues.stream().filter(ValidationIssue::isError).count(),
                    issues.stream().filter(ValidationIssue::isError).map(ValidationIssue::ruleId).distinct().toList());
            metrics.batch(batch.adapter(), "rejected");
            completion.finish(ledger.find(batch.id()).orElseThrow());
            return false;
        }
        ledger.startSplitting(batch.id(), check.records(), check.batchReference().orElse(null));
        log.info("batch {} checked: {} records", batch.id(), check.records());
        return true;
    }

    private void split(BatchEntry batch, BatchReader reader, BatchFile file) throws IOException {
        long next = batch.nextRecord();
        long total = batch.totalRecords() == null ? 0 : batch.totalRecords();
        Progress progress = new Progress(batch, next - 1, total);
        List<BatchRecord> chunk = new ArrayList<>(properties.getChunkSize());
        try (RecordStream records = reader.records(file)) {
            while (records.hasNext()) {
                BatchRecord record = records.next();
                if (record.number() < next) {
                    continue;
                }
                chunk.add(record);
                if (chunk.size() == properties.getChunkSize()) {
                    next = commit(batch, next, chunk);
                    if (next < 0) {
                        return;
                    }
                    progress.done(chunk.size());
                    chunk.clear();
                }
            }
        }
        if (!chunk.isEmpty()) {
            next = commit(batch, next, chunk);
            if (next < 0) {
                return;
            }
            progress.done(chunk.size());
        }
        if (next - 1 != total) {
            log.warn("batch {}: the check counted {} records but {} were read", batch.id(), total, next - 1);
        }
        ledger.transition(batch.id(), BatchStatus.SPLITTING, BatchStatus.IN_PROGRESS);
        progress.finished();
    }

    /**
     * Waits until the pipeline has room for the chunk (IngressBackPressure#batchMayRelease), looking again as often as
     * the waiting messages are counted. (It slept a sender's Retry-After, 1 s, which at ~500 records/s left the
     * pipeline drained and idle for half of each wait.)
     */
    private void awaitRoomInPipeline(BatchEntry batch, int records) {
        while (!backPressure.batchMayRelease(records)) {
            log.debug("batch {} waits for room in the pipeline", batch.id());
            try {
                Thread.sleep(IngressBackPressure.SAMPLE_PERIOD.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while batch " + batch.id() + " waited for the pipeline", e);
            }
        }
    }

    /** Records a chunk and queues its new messages; the next checkpoint, or -1 when another splitter moved it. */
    private long commit(BatchEntry batch, long expectedNext, List<BatchRecord> chunk) {
        awaitRoomInPipeline(batch, chunk.size());
        long newNext = chunk.get(chunk.size() - 1).number() + 1;
        for (int attempt = 1; ; attempt++) {
            Map<String, String> keys = new HashMap<>();
            for (BatchRecord record : chunk) {
                keys.put(dedupeKey(batch, record), null);
            }
            Map<String, String> existing = ledger.existingKeys(batch.institution(), keys.keySet());
            List<BatchLedger.NewRecord> inserts = new ArrayList<>(chunk.size());
            List<BatchLedger.DuplicateRecord> duplicates = new ArrayList<>();
            Map<String, String> inChunk = new HashMap<>();
            for (BatchRecord record : chunk) {
                String key = dedupeKey(batch, record);
                String first = existing.containsKey(key) ? existing.get(key) : inChunk.get(key);
                if (first != null) {
                    duplicates.add(new BatchLedger.DuplicateRecord(record.number(), record.location(), first));
                    continue;
                }
                String id = LedgerIds.next();
                inChunk.put(key, id);
                inserts.add(new BatchLedger.NewRecord(id, key, record.sourceRecordId().orElse(null), record.payload(), record.contentType(),
                        record.number(), record.location()));
            }
            try {
                if (!ledger.recordChunk(batch, expectedNext, newNext, inserts, duplicates)) {
                    log.info("batch {}: records from {} were split by another worker; this one stops", batch.id(), expectedNext);
                    return -1;
                }
            } catch (DuplicateKeyException raced) {
                // A message with one of these sender ids arrived on its own meanwhile: look again.
                if (attempt == ATTEMPTS_PER_CHUNK) {
                    throw raced;
                }
                continue;
            }
            metrics.records(batch.adapter(), "split", inserts.size());
            if (!duplicates.isEmpty()) {
                metrics.records(batch.adapter(), "duplicate", duplicates.size());
            }
            enqueue(batch, inserts);
            return newNext;
        }
    }

    /** The record's sender id when it has one (a resubmission in another file is then recognised), else its place in this file. */
    private static String dedupeKey(BatchEntry batch, BatchRecord record) {
        return record.sourceRecordId().map(id -> "src:" + id).orElseGet(() -> "batch:" + batch.sha256() + ":" + record.number());
    }

    /**
     * The chunk's new records as one queue message on the chunk queue (their ids, {@link ChunkProcessor}), on a session
     * of its own (not the batch consumer's transaction, which lasts the whole batch). If it fails, the rows are in the
     * ledger already and the recovery sweep queues them, each on its own.
     */
    private void enqueue(BatchEntry batch, List<BatchLedger.NewRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try (Connection connection = jms.createConnection(); Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer producer = session.createProducer(session.createQueue(CHUNK_QUEUE));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(session.createTextMessage(records.stream().map(BatchLedger.NewRecord::id)
                    .collect(Collectors.joining(ChunkProcessor.ID_SEPARATOR))));
            session.commit();
        } catch (JMSException | RuntimeException e) {
            log.warn("batch {}: {} records are in the ledger but could not be queued now ({}); recovery will queue them", batch.id(),
                    records.size(), e.getMessage());
        }
    }

    /** Progress log lines: at most one per {@link #PROGRESS_EVERY}, and one at the end. */
    private final class Progress {
        private final BatchEntry batch;
        private final long total;
        private final Instant started = clock.instant();
        private final long startedAt;
        private long done;
        private Instant lastLog = started;

        Progress(BatchEntry batch, long done, long total) {
            this.batch = batch;
            this.done = done;
            this.startedAt = done;
            this.total = total;
        }

        void done(int records) {
            done += records;
            Instant now = clock.instant();
            if (Duration.between(lastLog, now).compareTo(PROGRESS_EVERY) >= 0) {
                lastLog = now;
                log.info("batch {} splitting: {}/{} records ({} records/s)", batch.id(), done, total, rate(now));
            }
        }

        void finished() {
            log.info("batch {} split: {}/{} records in the ledger ({} records/s); the pipeline takes over", batch.id(), done, total,
                    rate(clock.instant()));
        }

        private long rate(Instant now) {
            long millis = Math.max(1, Duration.between(started, now).toMillis());
            return (done - startedAt) * 1000 / millis;
        }
    }
}
