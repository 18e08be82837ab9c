package io.yibao.gateway.ledger;

/** Where a message is in its life. */
public enum MessageStatus {
    /** Accepted from the institution and durable; waiting for translation. */
    RECEIVED,
    /** Translated, validated and signed; waiting for (or in) forwarding. */
    SIGNED,
    /** Failed translation or validation: in quarantine with its outcome, to be corrected and replayed. */
    REJECTED,
    /** The platform accepted it; its receipt is stored. */
    DELIVERED,
    /** Forwarding failed every attempt; can be replayed. */
    DEAD_LETTERED;

    public boolean isFinal() {
        return this == REJECTED || this == DELIVERED || this == DEAD_LETTERED;
    }
}
