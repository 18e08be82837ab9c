package io.yibao.gateway.ledger;

/**
 * Told of each status change of a message that is a record of a batch, inside the transaction of the change,
 * so that what it writes (the batch's record counts) commits or rolls back with it. The ledger calls it for
 * batch records only; a message outside any batch never reaches it. Implemented on the batch side, so the
 * ledger does not depend on batches.
 */
public interface BatchRecordStatusListener {
    /** The status of batch record {@code messageId} was just changed in the current transaction. */
    void statusChanged(String messageId);
}
