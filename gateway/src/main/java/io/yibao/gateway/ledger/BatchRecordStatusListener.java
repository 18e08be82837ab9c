package io.yibao.gateway.ledger;

import java.util.Collection;

/**
 * Told of the status changes of a message that is a record of a batch, inside the transaction of the change,
 * so that what it writes (the batch's record counts) commits or rolls back with it. The ledger calls it for
 * batch records only; a message outside any batch never reaches it. Implemented on the batch side, so the
 * ledger does not depend on batches.
 */
public interface BatchRecordStatusListener {
    /**
     * The statuses of these messages were just changed in the current transaction; those that are not batch
     * records are ignored.
     */
    void statusesChanged(Collection<String> messageIds);
}
