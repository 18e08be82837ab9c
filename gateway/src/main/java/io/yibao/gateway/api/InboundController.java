package io.yibao.gateway.api;

import io.yibao.adapter.Adapters;
import io.yibao.adapter.Envelope;
import io.yibao.adapter.InboundAdapter;
import io.yibao.adapter.NativeMessage;
import io.yibao.gateway.ingress.ClientIdentity;
import io.yibao.gateway.ingress.EnrollmentRegistry;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.operations.MessageMetrics;
import io.yibao.gateway.pipeline.Outcomes;
import io.yibao.gateway.pipeline.PipelineRoutes;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/inbound/{adapter}}: an institution sends a native message. It is identified by
 * its client certificate only; it must be enrolled for the adapter and may only send for itself (or the
 * institutions it is enrolled to send for). The answer, 202 with the message id and a status URL, comes
 * only once the message is in the ledger on disk; a resubmission is answered with the first id.
 */
@RestController
public class InboundController {
    private static final Logger log = LoggerFactory.getLogger(InboundController.class);
    private static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json");

    private final Adapters adapters;
    private final EnrollmentRegistry enrollments;
    private final MessageLedger ledger;
    private final ProducerTemplate producer;
    private final MessageMetrics metrics;

    public InboundController(Adapters adapters, EnrollmentRegistry enrollments, MessageLedger ledger, ProducerTemplate producer,
                             MessageMetrics metrics) {
        this.adapters = adapters;
        this.enrollments = enrollments;
        this.ledger = ledger;
        this.producer = producer;
        this.metrics = metrics;
    }

    @PostMapping("/api/v1/inbound/{adapter}")
    public ResponseEntity<?> receive(@PathVariable String adapter,
                                     @RequestHeader(value = "Content-Type", required = false) String contentType,
                                     HttpServletRequest request) throws IOException {
        byte[] payload = RawBody.of(request);
        Optional<String> caller = ClientIdentity.institutionOf(request);
        if (caller.isEmpty()) {
            return refuse(HttpStatus.FORBIDDEN, IssueType.SECURITY, "gw-no-identity",
                    "The client certificate carries no institution code", "客户端证书中没有机构编码");
        }
        String institution = caller.get();
        Optional<EnrollmentRegistry.Refusal> notEnrolled = enrollments.checkAdapter(institution, adapter);
        if (notEnrolled.isPresent()) {
            return refuse(HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, notEnrolled.get().rule(), notEnrolled.get().message(),
                    notEnrolled.get().messageZh());
        }
        Optional<InboundAdapter> found = adapters.byId(adapter);
        if (found.isEmpty()) {
            return refuse(HttpStatus.NOT_FOUND, IssueType.NOTSUPPORTED, "gw-unknown-adapter", "No adapter " + adapter + " at this gateway",
                    "本网关没有适配器 " + adapter);
        }
        NativeMessage message = new NativeMessage(payload, contentType, institution);
        Envelope envelope = found.get().peek(message);
        if (envelope.claimedInstitutionCode().isPresent()) {
            Optional<EnrollmentRegistry.Refusal> wrongClaim = enrollments.checkClaim(institution, envelope.claimedInstitutionCode().get());
            if (wrongClaim.isPresent()) {
                return refuse(HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, wrongClaim.get().rule(), wrongClaim.get().message(),
                        wrongClaim.get().messageZh());
            }
        }
        String dedupeKey = envelope.sourceMessageId().map(id -> "src:" + id).orElseGet(() -> "sha256:" + sha256(payload));
        String id = UUID.randomUUID().toString();
        Optional<String> first = ledger.recordIfNew(id, institution, adapter, dedupeKey, envelope.sourceMessageId().orElse(null),
                payload, contentType);
        if (first.isPresent()) {
            log.info("resubmission from {} answered with message {}", institution, first.get());
            metrics.count(MessageMetrics.Step.DUPLICATE, adapter, null);
            return ResponseEntity.ok(Map.of("id", first.get(), "duplicate", true, "statusUrl", "/api/v1/messages/" + first.get()));
        }
        metrics.count(MessageMetrics.Step.RECEIVED, adapter, null);
        enqueue(id);
        return ResponseEntity.accepted().body(Map.of("id", id, "status", "RECEIVED", "statusUrl", "/api/v1/messages/" + id));
    }

    /**
     * The ledger already holds the message on disk; if the broker is unreachable now, the recovery
     * sweep enqueues it later, so the sender's answer does not depend on it.
     */
    private void enqueue(String id) {
        try {
            producer.sendBody(PipelineRoutes.INBOX, id);
        } catch (RuntimeException e) {
            log.warn("message {} is in the ledger but could not be queued now ({}); recovery will queue it", id, e.getMessage());
        }
    }

    static ResponseEntity<String> refuse(HttpStatus status, IssueType type, String rule, String message, String messageZh) {
        return ResponseEntity.status(status).contentType(FHIR_JSON).body(Outcomes.refusal(type, rule, message, messageZh));
    }

    private static String sha256(byte[] payload) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
