package io.yibao.simulator;

import java.time.Instant;

/**
 * What the simulator answers for an accepted message (201 the first time, 200 with the identical
 * receipt for every repeat of the same {@code Idempotency-Key}). JSON:
 *
 * <pre>{@code
 * {"receiptId": "8d6c…-uuid", "idempotencyKey": "7f1e9d3c-…", "receivedAt": "2026-11-26T01:00:10.123Z",
 *  "status": "accepted", "bundleId": "7f1e9d3c-…", "event": "bank-payment"}
 * }</pre>
 *
 * @param receiptId a random UUID the simulator assigns when it first accepts the message
 * @param idempotencyKey the {@code Idempotency-Key} header of the request (the gateway's message id)
 * @param receivedAt when the simulator first accepted the message (UTC, ISO-8601)
 * @param status always {@code accepted} (rejections are OperationOutcomes, not receipts)
 * @param bundleId {@code Bundle.identifier.value} of the accepted Bundle
 * @param event {@code MessageHeader.eventCoding.code} of the Bundle's first entry
 */
public record Receipt(String receiptId, String idempotencyKey, Instant receivedAt, String status,
                      String bundleId, String event) {

    public static final String ACCEPTED = "accepted";
}
