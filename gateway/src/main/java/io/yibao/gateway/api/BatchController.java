package io.yibao.gateway.api;

import io.yibao.gateway.batch.BatchEntry;
import io.yibao.gateway.batch.BatchIntake;
import io.yibao.gateway.batch.BatchLedger;
import io.yibao.gateway.batch.BatchReport;
import io.yibao.gateway.ingress.ClientIdentity;
import io.yibao.gateway.ingress.InboundReception;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Batch files over the mutual-TLS API. {@code POST /api/v1/batches/{adapter}?name=FILE}: the body is the
 * file, streamed to the spool (never held in memory: not {@link RawBody}); same identity and enrollment
 * rules as single messages, checked before the body is read; 202 with the batch id once the file is on
 * disk and the batch recorded; the same file again is answered 200 with the first batch's id.
 * {@code GET /api/v1/batches/{id}}: status, counts (kept as counters, never recounted: cheap to poll) and one page
 * of undelivered records; {@code GET /api/v1/batches/{id}/report}: the full report once the batch is final, read from
 * the ledger at each request (a record replayed after completion shows in it). Only the sending
 * institution sees its batches.
 */
@RestController
public class BatchController {
    private static final int LARGEST_PAGE = 1000;

    private final BatchIntake intake;
    private final BatchLedger ledger;
    private final BatchReport report;

    public BatchController(BatchIntake intake, BatchLedger ledger, BatchReport report) {
        this.intake = intake;
        this.ledger = ledger;
        this.report = report;
    }

    @PostMapping("/api/v1/batches/{adapter}")
    public ResponseEntity<?> upload(@PathVariable String adapter, @RequestParam(required = false) String name,
                                    @RequestHeader(value = "Content-Type", required = false) String contentType,
                                    HttpServletRequest request) throws IOException {
        Optional<String> caller = ClientIdentity.institutionOf(request);
        InboundReception.Result result;
        if (caller.isEmpty()) {
            result = InboundReception.noIdentity();
        } else {
            try (InputStream body = request.getInputStream()) {
                result = intake.upload(caller.get(), adapter, body, name, contentType);
            }
        }
        if (result instanceof InboundReception.Accepted accepted) {
            return ResponseEntity.accepted().body(Map.of("id", accepted.id(), "status", "RECEIVED",
                    "statusUrl", "/api/v1/batches/" + accepted.id()));
        }
        if (result instanceof InboundReception.Duplicate duplicate) {
            return ResponseEntity.ok(Map.of("id", duplicate.firstId(), "duplicate", true,
                    "statusUrl", "/api/v1/batches/" + duplicate.firstId()));
        }
        InboundReception.Refused refused = (InboundReception.Refused) result;
        return InboundController.refuse(HttpStatus.valueOf(refused.status()), refused.type(), refused.rule(), refused.message(),
                refused.messageZh());
    }

    /** Status, counts by record status and page {@code page} (from 0) of the records not delivered. */
    @GetMapping("/api/v1/batches/{id}")
    public ResponseEntity<?> status(@PathVariable String id, @RequestParam(defaultValue = "0") long page,
                                    @RequestParam(defaultValue = "100") int size, HttpServletRequest request) throws IOException {
        Optional<BatchEntry> batch = own(id, request);
        if (batch.isEmpty()) {
            return notFound(id);
        }
        int pageSize = Math.max(1, Math.min(size, LARGEST_PAGE));
        ByteArrayOutputStream view = new ByteArrayOutputStream();
        report.writeView(batch.get(), Math.max(0, page), pageSize, view);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(view.toByteArray());
    }

    /** The report, once every record is final (409 before). */
    @GetMapping("/api/v1/batches/{id}/report")
    public ResponseEntity<?> report(@PathVariable String id, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Optional<BatchEntry> batch = own(id, request);
        if (batch.isEmpty()) {
            return notFound(id);
        }
        if (!batch.get().status().isFinal()) {
            return InboundController.refuse(HttpStatus.CONFLICT, IssueType.INCOMPLETE, "gw-batch-not-final",
                    "Batch " + id + " is " + batch.get().status() + "; its report is written when every record is final",
                    "批次 " + id + " 状态为 " + batch.get().status() + "；所有记录处理完毕后才生成报告");
        }
        // Written straight to the response: the report of a million-record batch is never held in memory.
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        report.write(batch.get(), response.getOutputStream());
        return null;
    }

    private Optional<BatchEntry> own(String id, HttpServletRequest request) {
        Optional<String> institution = ClientIdentity.institutionOf(request);
        return ledger.find(id).filter(b -> institution.isPresent() && b.institution().equals(institution.get()));
    }

    private static ResponseEntity<?> notFound(String id) {
        return InboundController.refuse(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "gw-unknown-batch",
                "No batch " + id + " of this institution", "本机构没有批次 " + id);
    }
}
