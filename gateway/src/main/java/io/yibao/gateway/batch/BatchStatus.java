package io.yibao.gateway.batch;

/** Where a batch file is in its life. */
public enum BatchStatus {
    /** Spooled to disk and recorded; waiting for its check. */
    RECEIVED,
    /** Pass 1: the adapter reads the whole file (header, trailer, control totals). */
    CHECKING,
    /** A file-level error (a trailer count, the claimed institution): no record was released. */
    REJECTED,
    /** Pass 2: records are put into the ledger and queued, chunk by chunk (progress: next_record). */
    SPLITTING,
    /** Every record is in the ledger; the pipeline is working on them. */
    IN_PROGRESS,
    /** Every record reached a final status (DELIVERED, REJECTED or DEAD_LETTERED); the report is written. */
    COMPLETE;

    public boolean isFinal() {
        return this == REJECTED || this == COMPLETE;
    }
}
