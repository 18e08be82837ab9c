package io.yibao.gateway.batch;

import io.yibao.adapter.Adapters;
import io.yibao.adapter.InboundAdapter;
import io.yibao.gateway.ingress.EnrollmentRegistry;
import io.yibao.gateway.ingress.InboundReception.Accepted;
import io.yibao.gateway.ingress.InboundReception.Duplicate;
import io.yibao.gateway.ingress.InboundReception.Refused;
import io.yibao.gateway.ingress.InboundReception.Result;
import io.yibao.gateway.ledger.LedgerIds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Receiving one batch file, uploaded or dropped: the sender must be enrolled for the adapter and the
 * adapter must read batch files (checked before a byte is read); the file is spooled and fsynced, then
 * the batch row is committed, then its id goes onto the batch queue. The same file again (same
 * institution and SHA-256) is answered with the first batch's id and not kept. Whatever the file says
 * about its sender is checked later, in the batch's check, before any record is released.
 */
@Service
public class BatchIntake {
    private static final Logger log = LoggerFactory.getLogger(BatchIntake.class);

    private final Adapters adapters;
    private final EnrollmentRegistry enrollments;
    private final BatchSpool spool;
    private final BatchLedger ledger;
    private final ProducerTemplate producer;
    private final BatchMetrics metrics;

    public BatchIntake(Adapters adapters, EnrollmentRegistry enrollments, BatchSpool spool, BatchLedger ledger, ProducerTemplate producer,
                       BatchMetrics metrics) {
        this.adapters = adapters;
        this.enrollments = enrollments;
        this.spool = spool;
        this.ledger = ledger;
        this.producer = producer;
        this.metrics = metrics;
    }

    /** Empty when {@code institution} may send batch files to {@code adapterId}; otherwise the refusal. */
    public Optional<Refused> refusal(String institution, String adapterId) {
        Optional<EnrollmentRegistry.Refusal> notEnrolled = enrollments.checkAdapter(institution, adapterId);
        if (notEnrolled.isPresent()) {
            EnrollmentRegistry.Refusal refusal = notEnrolled.get();
            return Optional.of(new Refused(refusal.rule(), refusal.message(), refusal.messageZh(), 403, IssueType.FORBIDDEN));
        }
        Optional<InboundAdapter> adapter = adapters.byId(adapterId);
        if (adapter.isEmpty()) {
            return Optional.of(new Refused("gw-unknown-adapter", "No adapter " + adapterId + " at this gateway",
                    "本网关没有适配器 " + adapterId, 404, IssueType.NOTSUPPORTED));
        }
        if (adapter.get().batches().isEmpty()) {
            return Optional.of(new Refused("gw-adapter-no-batches", "Adapter " + adapterId + " does not read batch files; send its "
                    + "messages one by one to /api/v1/inbound/" + adapterId, "适配器 " + adapterId + " 不支持批量文件，请逐条发送报文",
                    400, IssueType.NOTSUPPORTED));
        }
        return Optional.empty();
    }

    /** An uploaded file, streamed from {@code body} to the spool. */
    public Result upload(String institution, String adapterId, InputStream body, String fileName, String contentType) throws IOException {
        Optional<Refused> refused = refusal(institution, adapterId);
        if (refused.isPresent()) {
            return refused.get();
        }
        String id = LedgerIds.next();
        return register(id, institution, adapterId, fileName, contentType, spool.write(id, body), null);
    }

    /**
     * A file found in {@code <drop>/<institution>/<adapter>/incoming/}: moved into the spool (it leaves the
     * drop area) unless refused. {@code dropDir} is its {@code <institution>/<adapter>} directory.
     */
    public Result dropped(String institution, String adapterId, Path file, Path dropDir) throws IOException {
        Optional<Refused> refused = refusal(institution, adapterId);
        if (refused.isPresent()) {
            return refused.get();
        }
        String id = LedgerIds.next();
        return register(id, institution, adapterId, file.getFileName().toString(), null, spool.adopt(id, file), dropDir.toString());
    }

    private Result register(String id, String institution, String adapterId, String fileName, String contentType, BatchSpool.Spooled file,
                            String dropDir) throws IOException {
        Optional<String> first = ledger.recordIfNew(id, institution, adapterId, fileName, contentType, file.sha256(), file.size(),
                file.path().toString(), dropDir);
        if (first.isPresent()) {
            Files.deleteIfExists(file.path());
            log.info("batch file sent again by {} answered with batch {}", institution, first.get());
            metrics.batch(adapterId, "duplicate");
            return new Duplicate(first.get());
        }
        log.info("batch {} received from {} for {}: {} bytes", id, institution, adapterId, file.size());
        metrics.batch(adapterId, "received");
        enqueue(id);
        return new Accepted(id);
    }

    /** The batch row is committed; if the broker is unreachable now, the stalled-batch sweep queues it later. */
    private void enqueue(String id) {
        try {
            producer.sendBody(BatchRoutes.BATCHES, id);
        } catch (RuntimeException e) {
            log.warn("batch {} is recorded but could not be queued now ({}); the sweep will queue it", id, e.getMessage());
        }
    }
}
