package io.yibao.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The answer to a well-formed {@code POST /api/v1/messages/batch}: one result per entry, in request order.
 *
 * @param results the entries' results
 */
public record TransmissionResults(List<EntryResult> results) {

    /**
     * How one entry was judged.
     *
     * @param idempotencyKey the entry's key (the UUID of its {@code urn:uuid:} fullUrl); null when the
     *     fullUrl was not one
     * @param status the HTTP status a single POST of this message would have answered
     * @param receipt the receipt (status 201 or 200), else absent
     * @param outcome the OperationOutcome (status 400, 409 or 422), else absent
     */
    public record EntryResult(@JsonInclude(JsonInclude.Include.ALWAYS) String idempotencyKey, int status,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Receipt receipt,
                              @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode outcome) {

        static EntryResult of(String idempotencyKey, MessageVerdict verdict) {
            return new EntryResult(idempotencyKey, verdict.status().value(), verdict.receipt(), verdict.outcome());
        }
    }
}
