package io.yibao.gateway.ledger;

import java.time.Instant;

/** One message of the ledger, as stored. */
public record LedgerEntry(String id, String institution, String adapter, String sourceMessageId, MessageStatus status,
                          String event, byte[] payload, String contentType, String canonical, String outcome, String receipt,
                          int attempts, Instant receivedAt, Instant updatedAt) {}
