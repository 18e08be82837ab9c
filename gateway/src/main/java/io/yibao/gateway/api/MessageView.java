package io.yibao.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.yibao.gateway.ledger.LedgerEntry;
import java.time.Instant;

/** A message's life as the API shows it to the institution that sent it (never the payload). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageView(String id, String status, String adapter, String sourceMessageId, String event, Instant receivedAt,
                          Instant updatedAt, int attempts, String statusUrl, @JsonRawValue String outcome,
                          @JsonRawValue String receipt) {

    static MessageView of(LedgerEntry entry) {
        return new MessageView(entry.id(), entry.status().name(), entry.adapter(), entry.sourceMessageId(), entry.event(),
                entry.receivedAt(), entry.updatedAt(), entry.attempts(), "/api/v1/messages/" + entry.id(), entry.outcome(),
                entry.receipt());
    }
}
