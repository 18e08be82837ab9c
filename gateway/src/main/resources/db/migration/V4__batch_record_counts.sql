-- Batch status without recounting: per-status record counts kept as the records change status, so that
-- GET /api/v1/batches/{id} and the completion check read at most 5 x 16 rows instead of counting the
-- batch's rows in message (a scan of a million rows per poll). Portable SQL: H2 and PostgreSQL.
--
-- batch_record_count: one row per batch, message status and shard (record_no mod 16); a status change
-- moves one from the old status's row to the new one's in the message update's own transaction
-- (BatchRecordCounts). Shards spread the row locks of concurrent status changes of one batch over 16 rows.
CREATE TABLE batch_record_count (
    batch_id           VARCHAR(36)   NOT NULL,
    status             VARCHAR(20)   NOT NULL,
    shard              INTEGER       NOT NULL,
    records            BIGINT        NOT NULL,
    PRIMARY KEY (batch_id, status, shard)
);

-- The status a batch record is counted under: equal to status once its change is counted, so that a
-- step repeated (redelivery, recovery) finds nothing to count again.
ALTER TABLE message ADD COLUMN counted_status VARCHAR(20);

-- Records of the batch recognised as sent before (rows of batch_duplicate), counted with the chunk.
ALTER TABLE batch ADD COLUMN duplicate_records BIGINT DEFAULT 0 NOT NULL;

-- Where the report of a dropped file was written, so that it is rewritten in place when a record of the
-- completed batch changes later (a replay from quarantine).
ALTER TABLE batch ADD COLUMN report_path VARCHAR(1000);

-- Batches recorded before this migration: their counts, once.
INSERT INTO batch_record_count (batch_id, status, shard, records)
SELECT b.id, s.status, h.shard, 0
FROM batch b
CROSS JOIN (VALUES ('RECEIVED'), ('SIGNED'), ('REJECTED'), ('DELIVERED'), ('DEAD_LETTERED')) AS s (status)
CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15)) AS h (shard);

UPDATE batch_record_count SET records = (
    SELECT COUNT(*) FROM message m
    WHERE m.batch_id = batch_record_count.batch_id AND m.status = batch_record_count.status
      AND MOD(m.record_no, 16) = batch_record_count.shard);

UPDATE message SET counted_status = status WHERE batch_id IS NOT NULL;

UPDATE batch SET duplicate_records = (SELECT COUNT(*) FROM batch_duplicate d WHERE d.batch_id = batch.id);
