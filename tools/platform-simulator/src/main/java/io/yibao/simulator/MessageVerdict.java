package io.yibao.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * How the simulator judged one message: the HTTP status a single {@code POST /api/v1/messages} answers,
 * with the receipt (201, 200) or the OperationOutcome (400, 409, 422). Each entry of a transmission
 * ({@code POST /api/v1/messages/batch}) gets one too.
 *
 * @param status the status of the single POST
 * @param receipt the receipt when accepted (201) or repeated (200), else null
 * @param outcome the OperationOutcome when refused, else null
 */
public record MessageVerdict(HttpStatus status, Receipt receipt, ObjectNode outcome) {

    static MessageVerdict receipt(HttpStatus status, Receipt receipt) {
        return new MessageVerdict(status, receipt, null);
    }

    static MessageVerdict refused(HttpStatus status, String issueType, String reason, String message) {
        return new MessageVerdict(status, null, OperationOutcomes.of(issueType, reason, message));
    }

    /** The answer of the single POST. */
    ResponseEntity<?> toResponse() {
        return receipt != null
                ? ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(receipt)
                : ResponseEntity.status(status).contentType(OperationOutcomes.FHIR_JSON).body(outcome);
    }
}
