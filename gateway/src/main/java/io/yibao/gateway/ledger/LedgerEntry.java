package io.yibao.gateway.ledger;

import java.time.Instant;

/** One message of the ledger, as stored. */
public record LedgerEntry(String id, String institution, String adapter, String sourceMessageId, MessageStatus status,
                          String event, byte[] payload, String contentType, String canonical, String outcome, String receipt,
                          int attempts, Instant receivedAt, Instant updatedAt) {

    /** This entry as the recorded result of its processing left it (status, event, source id, canonical form, outcome). */
    public LedgerEntry processedAs(MessageLedger.Processed processed) {
        return new LedgerEntry(id, institution, adapter, processed.sourceMessageId() == null ? sourceMessageId : processed.sourceMessageId(),
                processed.status(), processed.event(), payload, contentType, processed.canonical(), processed.outcome(), receipt, attempts,
                receivedAt, updatedAt);
    }
}
