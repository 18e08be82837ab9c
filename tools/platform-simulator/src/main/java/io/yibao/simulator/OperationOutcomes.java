package io.yibao.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * FHIR R4 OperationOutcome answers. One issue, severity {@code error}, with a FHIR issue type
 * ({@code security}, {@code structure}, {@code required}, {@code conflict}, {@code transient},
 * {@code timeout}, {@code not-found}, …), {@code details.coding} naming the simulator's reason code
 * (for signature failures the {@code Verification.Status}, e.g. {@code CONTENT_ALTERED}) and
 * {@code details.text}/{@code diagnostics} the human-readable message. Never quotes payload content.
 */
public final class OperationOutcomes {

    /** Code system of {@code details.coding}: the simulator's reason codes (not part of the standard). */
    public static final String REASON_SYSTEM = "urn:yibao:platform-simulator:reason";
    public static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json");

    private OperationOutcomes() {}

    public static ObjectNode of(String issueType, String reason, String message) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode outcome = json.objectNode().put("resourceType", "OperationOutcome");
        ObjectNode issue = outcome.putArray("issue").addObject()
                .put("severity", "error")
                .put("code", issueType);
        ObjectNode details = issue.putObject("details");
        details.putArray("coding").addObject().put("system", REASON_SYSTEM).put("code", reason);
        details.put("text", reason + ": " + message);
        issue.put("diagnostics", message);
        return outcome;
    }

    public static ResponseEntity<ObjectNode> response(HttpStatusCode status, String issueType, String reason,
                                                      String message) {
        return ResponseEntity.status(status).contentType(FHIR_JSON).body(of(issueType, reason, message));
    }
}
