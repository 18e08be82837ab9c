package io.yibao.gateway.batch;

import io.yibao.gateway.ledger.LedgerDiskSync;
import io.yibao.gateway.ledger.MessageStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The batch table and the batch side of the message table (JDBC, the ledger's database): batch rows, the
 * splitting checkpoint, the records put into the ledger chunk by chunk, and what the batch view and
 * report read back. A chunk's records and the checkpoint move in one transaction, and the checkpoint
 * only moves from where the splitter found it, so two splitters of one batch (a redelivery while the
 * first still runs) cannot both insert a chunk.
 */
@Repository
public class BatchLedger {
    private static final String COLUMNS = "id, institution, adapter, file_name, content_type, sha256, size_bytes, spool_path, drop_dir, "
            + "status, batch_reference, total_records, next_record, reason, duplicate_records, report_path, received_at, updated_at";

    /** A record to put into the ledger as a message of its own. */
    public record NewRecord(String id, String dedupeKey, String sourceMessageId, byte[] payload, String contentType, long recordNo,
                            String location) {}

    /** A record the ledger already held under another message. */
    public record DuplicateRecord(long recordNo, String location, String messageId) {}

    /** A record of a batch with the outcome the report shows. */
    public record RecordOutcome(String messageId, long recordNo, String location, String sourceMessageId, MessageStatus status,
                                String outcome) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final BatchRecordCounts counts;
    private final Clock clock;
    private final LedgerDiskSync diskSync;

    public BatchLedger(JdbcTemplate jdbc, TransactionTemplate transactions, BatchRecordCounts counts, Clock clock,
                       LedgerDiskSync diskSync) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.counts = counts;
        this.clock = clock;
        this.diskSync = diskSync;
    }

    /**
     * Records a new batch as RECEIVED, or returns the id of the batch already recorded for the same
     * institution and file content (SHA-256): the same file sent again.
     */
    public Optional<String> recordIfNew(String id, String institution, String adapter, String fileName, String contentType,
                                        String sha256, long size, String spoolPath, String dropDir) {
        Timestamp now = now();
        try {
            jdbc.update("INSERT INTO batch (id, institution, adapter, file_name, content_type, sha256, size_bytes, spool_path, drop_dir, "
                            + "status, next_record, received_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                    id, institution, adapter, fileName, contentType, sha256, size, spoolPath, dropDir, BatchStatus.RECEIVED.name(),
                    now, now);
            diskSync.afterCommit();
            return Optional.empty();
        } catch (DuplicateKeyException duplicate) {
            return findBySha256(institution, sha256);
        }
    }

    public Optional<String> findBySha256(String institution, String sha256) {
        return jdbc.queryForList("SELECT id FROM batch WHERE institution = ? AND sha256 = ?", String.class, institution, sha256)
                .stream().findFirst();
    }

    public Optional<BatchEntry> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM batch WHERE id = ?", ROW, id).stream().findFirst();
    }

    /** Moves a batch from one status to another; false when it was not in {@code from}. */
    public boolean transition(String id, BatchStatus from, BatchStatus to) {
        return jdbc.update("UPDATE batch SET status = ?, updated_at = ? WHERE id = ? AND status = ?", to.name(), now(), id, from.name()) == 1;
    }

    public void reject(String id, String reason) {
        jdbc.update("UPDATE batch SET status = ?, reason = ?, updated_at = ? WHERE id = ?", BatchStatus.REJECTED.name(), reason, now(), id);
    }

    /** The check passed: the batch is split next, this many records, under the sender's reference; its counters start at 0. */
    public void startSplitting(String id, long totalRecords, String batchReference) {
        transactions.executeWithoutResult(status -> {
            if (jdbc.update("UPDATE batch SET status = ?, total_records = ?, batch_reference = ?, updated_at = ? WHERE id = ? AND status = ?",
                    BatchStatus.SPLITTING.name(), totalRecords, batchReference, now(), id, BatchStatus.CHECKING.name()) == 1) {
                counts.create(id);
            }
        });
    }

    /** The ids of the messages already recorded for these dedupe keys of an institution. */
    public Map<String, String> existingKeys(String institution, Collection<String> dedupeKeys) {
        Map<String, String> existing = new HashMap<>();
        if (dedupeKeys.isEmpty()) {
            return existing;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(dedupeKeys.size(), "?"));
        List<Object> arguments = new ArrayList<>();
        arguments.add(institution);
        arguments.addAll(dedupeKeys);
        jdbc.query("SELECT dedupe_key, id FROM message WHERE institution = ? AND dedupe_key IN (" + marks + ")",
                rs -> {
                    existing.put(rs.getString(1), rs.getString(2));
                }, arguments.toArray());
        return existing;
    }

    /**
     * One chunk in one transaction: the records as RECEIVED messages (JDBC batch insert) and their count, the
     * duplicates and theirs, and the checkpoint moved from {@code expectedNext} to {@code newNext}; forced to the device
     * on H2 ({@link LedgerDiskSync#afterCommit}) before it returns. False, with nothing written,
     * when the checkpoint was not at {@code expectedNext} (another splitter got there first).
     *
     * @throws DuplicateKeyException when a record's dedupe key was recorded meanwhile (nothing written)
     */
    public boolean recordChunk(BatchEntry batch, long expectedNext, long newNext, List<NewRecord> records,
                               List<DuplicateRecord> duplicates) {
        Boolean done = transactions.execute(status -> {
            Timestamp now = now();
            int moved = jdbc.update("UPDATE batch SET next_record = ?, duplicate_records = duplicate_records + ?, updated_at = ? "
                            + "WHERE id = ? AND next_record = ? AND status = ?",
                    newNext, duplicates.size(), now, batch.id(), expectedNext, BatchStatus.SPLITTING.name());
            if (moved != 1) {
                status.setRollbackOnly();
                return false;
            }
            jdbc.batchUpdate("INSERT INTO message (id, institution, adapter, dedupe_key, source_message_id, status, payload, content_type, "
                            + "attempts, received_at, updated_at, batch_id, record_no, record_location, counted_status) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
                    records, records.size(), (ps, record) -> {
                        ps.setString(1, record.id());
                        ps.setString(2, batch.institution());
                        ps.setString(3, batch.adapter());
                        ps.setString(4, record.dedupeKey());
                        ps.setString(5, record.sourceMessageId());
                        ps.setString(6, MessageStatus.RECEIVED.name());
                        ps.setBytes(7, record.payload());
                        ps.setString(8, record.contentType());
                        ps.setTimestamp(9, now);
                        ps.setTimestamp(10, now);
                        ps.setString(11, batch.id());
                        ps.setLong(12, record.recordNo());
                        ps.setString(13, record.location());
                        ps.setString(14, MessageStatus.RECEIVED.name());
                    });
            counts.countReceived(batch.id(), records.stream().map(NewRecord::recordNo).toList());
            jdbc.batchUpdate("INSERT INTO batch_duplicate (batch_id, record_no, record_location, message_id) VALUES (?, ?, ?, ?)",
                    duplicates, duplicates.size(), (ps, duplicate) -> {
                        ps.setString(1, batch.id());
                        ps.setLong(2, duplicate.recordNo());
                        ps.setString(3, duplicate.location());
                        ps.setString(4, duplicate.messageId());
                    });
            return true;
        });
        if (Boolean.TRUE.equals(done)) {
            diskSync.afterCommit(); // their ids go onto the chunk queue next, whose journal is forced: so is the ledger, first
            return true;
        }
        return false;
    }

    /** Batches in a status last touched before a time, oldest first. */
    public List<String> idsInStatusBefore(BatchStatus status, Instant before, int limit) {
        return jdbc.queryForList("SELECT id FROM batch WHERE status = ? AND updated_at < ? ORDER BY updated_at LIMIT ?",
                String.class, status.name(), Timestamp.from(before), limit);
    }

    /** A batch's records in the ledger, by message status (statuses without records absent): its counters, no recount. */
    public Map<MessageStatus, Long> recordCounts(String batchId) {
        return counts.of(batchId);
    }

    /**
     * IN_PROGRESS to COMPLETE when no record of the batch waits (RECEIVED or SIGNED). The batch row is locked before
     * the counters are read, as a record coming back from a final status locks it before it counts
     * ({@link BatchRecordCounts}): a replay that commits meanwhile is seen, one that comes later reopens the batch.
     */
    public boolean completeIfNoneWaiting(String id) {
        Boolean completed = transactions.execute(status -> {
            List<String> current = jdbc.queryForList("SELECT status FROM batch WHERE id = ? FOR UPDATE", String.class, id);
            if (current.isEmpty() || !BatchStatus.IN_PROGRESS.name().equals(current.get(0))) {
                return false;
            }
            boolean waiting = counts.of(id).keySet().stream().anyMatch(s -> !s.isFinal());
            return !waiting && transition(id, BatchStatus.IN_PROGRESS, BatchStatus.COMPLETE);
        });
        return Boolean.TRUE.equals(completed);
    }

    /** Where the report of a dropped file was written (rewritten there when the batch completes again). */
    public void recordReportPath(String id, String reportPath) {
        jdbc.update("UPDATE batch SET report_path = ? WHERE id = ?", reportPath, id);
    }

    /** Records of a batch in one of the statuses, by record number, a page at a time. */
    public List<RecordOutcome> records(String batchId, Collection<MessageStatus> statuses, long offset, int limit) {
        String marks = String.join(", ", java.util.Collections.nCopies(statuses.size(), "?"));
        List<Object> arguments = new ArrayList<>();
        arguments.add(batchId);
        statuses.forEach(s -> arguments.add(s.name()));
        arguments.add(limit);
        arguments.add(offset);
        return jdbc.query("SELECT id, record_no, record_location, source_message_id, status, outcome FROM message WHERE batch_id = ? "
                        + "AND status IN (" + marks + ") ORDER BY record_no LIMIT ? OFFSET ?",
                (rs, row) -> new RecordOutcome(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        MessageStatus.valueOf(rs.getString(5)), rs.getString(6)), arguments.toArray());
    }

    public List<DuplicateRecord> duplicates(String batchId, long offset, int limit) {
        return jdbc.query("SELECT record_no, record_location, message_id FROM batch_duplicate WHERE batch_id = ? ORDER BY record_no "
                        + "LIMIT ? OFFSET ?",
                (rs, row) -> new DuplicateRecord(rs.getLong(1), rs.getString(2), rs.getString(3)), batchId, limit, offset);
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static final RowMapper<BatchEntry> ROW = (ResultSet rs, int row) -> new BatchEntry(
            rs.getString("id"), rs.getString("institution"), rs.getString("adapter"), rs.getString("file_name"),
            rs.getString("content_type"), rs.getString("sha256"), rs.getLong("size_bytes"), rs.getString("spool_path"),
            rs.getString("drop_dir"), BatchStatus.valueOf(rs.getString("status")), rs.getString("batch_reference"),
            (Long) rs.getObject("total_records", Long.class), rs.getLong("next_record"), rs.getString("reason"),
            rs.getLong("duplicate_records"), rs.getString("report_path"), instant(rs, "received_at"), instant(rs, "updated_at"));

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
