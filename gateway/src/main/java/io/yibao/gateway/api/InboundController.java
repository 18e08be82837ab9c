package io.yibao.gateway.api;

import io.yibao.gateway.ingress.ClientIdentity;
import io.yibao.gateway.ingress.InboundReception;
import io.yibao.gateway.ingress.IngressBackPressure;
import io.yibao.gateway.pipeline.Outcomes;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
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
 * institutions it is enrolled to send for); the checks and the recording are {@link InboundReception}'s,
 * shared with the MLLP listener. The answer, 202 with the message id and a status URL, comes
 * only once the message is in the ledger on disk; a resubmission is answered with the first id; while
 * too many messages wait for processing, 503 with Retry-After (nothing recorded).
 */
@RestController
public class InboundController {
    private static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json");

    private final InboundReception reception;
    private final IngressBackPressure backPressure;

    public InboundController(InboundReception reception, IngressBackPressure backPressure) {
        this.reception = reception;
        this.backPressure = backPressure;
    }

    @PostMapping("/api/v1/inbound/{adapter}")
    public ResponseEntity<?> receive(@PathVariable String adapter,
                                     @RequestHeader(value = "Content-Type", required = false) String contentType,
                                     HttpServletRequest request) throws IOException {
        InboundReception.Result result = take(adapter, contentType, request);
        if (result instanceof InboundReception.Accepted accepted) {
            return ResponseEntity.accepted().body(Map.of("id", accepted.id(), "status", "RECEIVED",
                    "statusUrl", "/api/v1/messages/" + accepted.id()));
        }
        if (result instanceof InboundReception.Duplicate duplicate) {
            return ResponseEntity.ok(Map.of("id", duplicate.firstId(), "duplicate", true,
                    "statusUrl", "/api/v1/messages/" + duplicate.firstId()));
        }
        InboundReception.Refused refused = (InboundReception.Refused) result;
        if (InboundReception.BUSY.equals(refused.rule())) {
            // RFC 9110 §15.6.4 / §10.2.3: 503 with Retry-After, so a sender knows to come back, not that it failed.
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, backPressure.retryAfter().toSeconds())))
                    .contentType(FHIR_JSON)
                    .body(Outcomes.refusal(refused.type(), refused.rule(), refused.message(), refused.messageZh()));
        }
        return refuse(HttpStatus.valueOf(refused.status()), refused.type(), refused.rule(), refused.message(), refused.messageZh());
    }

    /** Identity, then what needs no content ({@link InboundReception#admit}), then the body, read only up to the size limit. */
    private InboundReception.Result take(String adapter, String contentType, HttpServletRequest request) throws IOException {
        Optional<String> caller = ClientIdentity.institutionOf(request);
        if (caller.isEmpty()) {
            return InboundReception.noIdentity();
        }
        Optional<InboundReception.Refused> refused = reception.admit(caller.get(), adapter, request.getContentLengthLong());
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<byte[]> payload = RawBody.of(request, reception.maximumMessageSize());
        if (payload.isEmpty()) {
            return reception.tooLarge(-1);
        }
        return reception.receive(caller.get(), adapter, payload.get(), contentType);
    }

    static ResponseEntity<String> refuse(HttpStatus status, IssueType type, String rule, String message, String messageZh) {
        return ResponseEntity.status(status).contentType(FHIR_JSON).body(Outcomes.refusal(type, rule, message, messageZh));
    }
}
