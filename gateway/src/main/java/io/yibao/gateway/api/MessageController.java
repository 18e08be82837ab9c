package io.yibao.gateway.api;

import io.yibao.gateway.ingress.ClientIdentity;
import io.yibao.gateway.ingress.EnrollmentRegistry;
import io.yibao.gateway.ingress.EnvelopeSignatureCheck;
import io.yibao.gateway.ingress.InboundReception;
import io.yibao.gateway.ledger.LedgerEntry;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import io.yibao.gateway.pipeline.PipelineRoutes;
import io.yibao.signatures.BundleSigner;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * What an institution may ask about its own messages: status (optionally waiting for the final one),
 * its quarantine (list, original payload, correct and replay) and replaying dead letters. Another
 * institution's message is answered 404, as if it did not exist.
 */
@RestController
public class MessageController {
    private static final Logger log = LoggerFactory.getLogger(MessageController.class);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(2);
    private static final int LARGEST_PAGE = 1000;

    private final MessageLedger ledger;
    private final ProducerTemplate producer;
    private final InboundReception reception;
    private final EnvelopeSignatureCheck envelopeSignatures;
    private final BundleSigner signer;
    private final MessageWaits waits;

    public MessageController(MessageLedger ledger, ProducerTemplate producer, InboundReception reception,
                             EnvelopeSignatureCheck envelopeSignatures, BundleSigner signer, MessageWaits waits) {
        this.waits = waits;
        this.ledger = ledger;
        this.producer = producer;
        this.reception = reception;
        this.envelopeSignatures = envelopeSignatures;
        this.signer = signer;
    }

    @GetMapping(value = "/api/v1/messages/{id}", params = "!wait")
    public ResponseEntity<?> status(@PathVariable String id, HttpServletRequest request) {
        return own(id, request).<ResponseEntity<?>>map(e -> ResponseEntity.ok(MessageView.of(e))).orElseGet(() -> notFound(id));
    }

    /**
     * {@code ?wait=PT30S}: answered once the message reaches a final status, or as it is when the wait (at most two minutes)
     * ends; no request thread is held meanwhile ({@link MessageWaits}).
     */
    @GetMapping(value = "/api/v1/messages/{id}", params = "wait")
    public DeferredResult<ResponseEntity<?>> statusOnceFinal(@PathVariable String id, @RequestParam Duration wait,
                                                            HttpServletRequest request) {
        Optional<LedgerEntry> entry = own(id, request);
        if (entry.isPresent() && !entry.get().status().isFinal() && wait.compareTo(Duration.ZERO) > 0) {
            return waits.until(id, wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait);
        }
        DeferredResult<ResponseEntity<?>> now = new DeferredResult<>();
        now.setResult(entry.<ResponseEntity<?>>map(e -> ResponseEntity.ok(MessageView.of(e))).orElseGet(() -> notFound(id)));
        return now;
    }

    /** The caller's quarantined (REJECTED) messages, oldest first, page {@code page} (from 0) of {@code size} (at most 1,000). */
    @GetMapping("/api/v1/quarantine")
    public List<MessageView> quarantine(@RequestParam(defaultValue = "0") long page, @RequestParam(defaultValue = "100") int size,
                                        HttpServletRequest request) {
        return ownInStatus(MessageStatus.REJECTED, page, size, request);
    }

    /** The caller's dead letters (the platform refused them, or forwarding gave up), oldest first, paged as the quarantine. */
    @GetMapping("/api/v1/dead-letters")
    public List<MessageView> deadLetters(@RequestParam(defaultValue = "0") long page, @RequestParam(defaultValue = "100") int size,
                                         HttpServletRequest request) {
        return ownInStatus(MessageStatus.DEAD_LETTERED, page, size, request);
    }

    private List<MessageView> ownInStatus(MessageStatus status, long page, int size, HttpServletRequest request) {
        String institution = ClientIdentity.institutionOf(request).orElse("");
        int pageSize = Math.max(1, Math.min(size, LARGEST_PAGE));
        return ledger.list(institution, status, Math.max(0, page) * pageSize, pageSize).stream().map(MessageView::of).toList();
    }

    /** The original bytes of a quarantined message, to correct. */
    @GetMapping("/api/v1/quarantine/{id}/payload")
    public ResponseEntity<?> payload(@PathVariable String id, HttpServletRequest request) {
        return own(id, request).filter(e -> e.status() == MessageStatus.REJECTED)
                .<ResponseEntity<?>>map(e -> ResponseEntity.ok()
                        .contentType(e.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM : MediaType.parseMediaType(e.contentType()))
                        .body(e.payload()))
                .orElseGet(() -> notFound(id));
    }

    /**
     * Replaces a quarantined message's payload with the corrected one and processes it again. A correction must
     * pass the same envelope signature check as a new message (a re-signed envelope); otherwise 403 and the
     * message stays in quarantine unchanged.
     */
    @PutMapping("/api/v1/quarantine/{id}")
    public ResponseEntity<?> replay(@PathVariable String id, HttpServletRequest request) throws IOException {
        Optional<LedgerEntry> quarantined = own(id, request).filter(e -> e.status() == MessageStatus.REJECTED);
        if (quarantined.isEmpty()) {
            return notFound(id);
        }
        Optional<byte[]> corrected = RawBody.of(request, reception.maximumMessageSize());
        if (corrected.isEmpty()) {
            InboundReception.Refused tooLarge = reception.tooLarge(-1);
            return InboundController.refuse(HttpStatus.valueOf(tooLarge.status()), tooLarge.type(), tooLarge.rule(), tooLarge.message(),
                    tooLarge.messageZh());
        }
        Optional<EnrollmentRegistry.Refusal> badSignature =
                envelopeSignatures.check(quarantined.get().institution(), quarantined.get().adapter(), corrected.get());
        if (badSignature.isPresent()) {
            EnrollmentRegistry.Refusal refusal = badSignature.get();
            return InboundController.refuse(HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, refusal.rule(), refusal.message(), refusal.messageZh());
        }
        if (!ledger.replaceForReplay(id, corrected.get())) {
            return notFound(id);
        }
        producer.sendBody(PipelineRoutes.INBOX, id);
        return ResponseEntity.accepted().body(MessageView.of(ledger.find(id).orElseThrow()));
    }

    /**
     * Sends a dead-lettered message to the platform again, as it was signed; signed again first if the gateway's signing
     * certificate is no longer the one it was signed under (a key replaced, e.g. revoked after a compromise: the platform
     * refuses the old signature, so it could never be delivered as it was), or it was signed by an earlier gateway under
     * the payload-digest profile, which the platform refuses now.
     */
    @PostMapping("/api/v1/dead-letters/{id}/replay")
    public ResponseEntity<?> replayDeadLetter(@PathVariable String id, HttpServletRequest request) {
        Optional<LedgerEntry> deadLetter = own(id, request).filter(e -> e.status() == MessageStatus.DEAD_LETTERED);
        if (deadLetter.isEmpty()) {
            return notFound(id);
        }
        String signed = deadLetter.get().canonical();
        if (signed != null && !signer.signsLikeThis(signed)) {
            ledger.replaceSignedDeadLetter(id, signer.sign(signed));
            log.info("dead letter {} signed again: it was signed under another certificate than the gateway's current one, or an earlier profile", id);
        }
        if (!ledger.resetForForwarding(id)) {
            return notFound(id);
        }
        producer.sendBody(PipelineRoutes.OUTBOX, id);
        return ResponseEntity.accepted().body(MessageView.of(ledger.find(id).orElseThrow()));
    }

    private Optional<LedgerEntry> own(String id, HttpServletRequest request) {
        Optional<String> institution = ClientIdentity.institutionOf(request);
        return ledger.find(id).filter(e -> institution.isPresent() && e.institution().equals(institution.get()));
    }

    static ResponseEntity<?> notFound(String id) {
        return InboundController.refuse(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "gw-unknown-message",
                "No message " + id + " of this institution in this state", "本机构没有处于该状态的报文 " + id);
    }
}
