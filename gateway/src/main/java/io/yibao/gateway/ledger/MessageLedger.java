package io.yibao.gateway.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The message ledger (JDBC): every accepted message with its original payload, state, canonical form,
 * outcome and receipt. H2 on a single node, PostgreSQL when scaled out; the schema is Flyway's.
 */
@Repository
public class MessageLedger {
    private static final String COLUMNS = "id, institution, adapter, source_message_id, status, event, payload, content_type, "
            + "canonical, outcome, receipt, attempts, received_at, updated_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final BatchRecordStatusListener batchRecords;
    private final LedgerDiskSync diskSync;
    private final GroupCommit<NewMessage, Optional<String>> newMessages =
            new GroupCommit<>(this::insertAll, this::insertOrFindFirst, MAXIMUM_GROUP);

    public MessageLedger(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock, BatchRecordStatusListener batchRecords,
                         LedgerDiskSync diskSync) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.batchRecords = batchRecords;
        this.diskSync = diskSync;
    }

    /**
     * Records a new message as RECEIVED, or returns the id of the message already recorded for the same
     * institution and dedupe key (a resubmission). Returns once the row is committed, and on H2 forced to the device
     * ({@link LedgerDiskSync}); callers arriving together share one commit ({@link GroupCommit}) and one force.
     */
    public Optional<String> recordIfNew(String id, String institution, String adapter, String dedupeKey, String sourceMessageId,
                                        byte[] payload, String contentType) {
        return newMessages.write(new NewMessage(id, institution, adapter, dedupeKey, sourceMessageId, payload, contentType,
                Timestamp.from(clock.instant())));
    }

    /** A message to record as RECEIVED. */
    private record NewMessage(String id, String institution, String adapter, String dedupeKey, String sourceMessageId,
                              byte[] payload, String contentType, Timestamp receivedAt) {
        Object[] row() {
            return new Object[] {id, institution, adapter, dedupeKey, sourceMessageId, MessageStatus.RECEIVED.name(), payload,
                    contentType, receivedAt, receivedAt};
        }
    }

    static final String INSERT_RECEIVED = "INSERT INTO message (id, institution, adapter, dedupe_key, source_message_id, "
            + "status, payload, content_type, attempts, received_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";
    /** At most this many new messages in one commit (about the number of ingress threads that can wait at once). */
    private static final int MAXIMUM_GROUP = 200;

    /** Many new messages in one transaction; throws (rolled back) if any is a resubmission or cannot be written. */
    private List<Optional<String>> insertAll(List<NewMessage> messages) {
        transactions.executeWithoutResult(transaction -> jdbc.batchUpdate(INSERT_RECEIVED, messages.stream().map(NewMessage::row).toList()));
        diskSync.afterCommit();
        return Collections.nCopies(messages.size(), Optional.empty());
    }

    private Optional<String> insertOrFindFirst(NewMessage message) {
        try {
            jdbc.update(INSERT_RECEIVED, message.row());
            diskSync.afterCommit();
            return Optional.empty();
        } catch (DuplicateKeyException duplicate) {
            return Optional.of(jdbc.queryForObject("SELECT id FROM message WHERE institution = ? AND dedupe_key = ?",
                    String.class, message.institution(), message.dedupeKey()));
        }
    }

    /*
     * What one pipeline step reads: the row without the large columns the step does not use (the same
     * entry type, those fields null). Processing needs the payload, forwarding the canonical form; reading
     * both at every step cost a copy of each message's largest values per hop.
     */
    private static final String PROCESSING_COLUMNS = "id, institution, adapter, source_message_id, status, event, payload, content_type, "
            + "NULL AS canonical, NULL AS outcome, NULL AS receipt, attempts, received_at, updated_at";
    private static final String FORWARDING_COLUMNS = "id, institution, adapter, source_message_id, status, event, NULL AS payload, "
            + "content_type, canonical, NULL AS outcome, NULL AS receipt, attempts, received_at, updated_at";

    public Optional<LedgerEntry> find(String id) {
        return findColumns(COLUMNS, id);
    }

    /** The entry as forwarding reads it: everything but payload, outcome and receipt (null here). */
    public Optional<LedgerEntry> findForForwarding(String id) {
        return findColumns(FORWARDING_COLUMNS, id);
    }

    /**
     * The entries as processing reads them: everything but canonical, outcome and receipt (null here), in no particular
     * order; unknown ids are absent.
     */
    public List<LedgerEntry> findAllForProcessing(Collection<String> ids) {
        return findAllColumns(PROCESSING_COLUMNS, ids);
    }

    /** The entries as forwarding reads them ({@link #findForForwarding}), in no particular order; unknown ids are absent. */
    public List<LedgerEntry> findAllForForwarding(Collection<String> ids) {
        return findAllColumns(FORWARDING_COLUMNS, ids);
    }

    private List<LedgerEntry> findAllColumns(String columns, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT " + columns + " FROM message WHERE id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?"))
                + ")", ROW, ids.toArray());
    }

    private Optional<LedgerEntry> findColumns(String columns, String id) {
        return jdbc.query("SELECT " + columns + " FROM message WHERE id = ?", ROW, id).stream().findFirst();
    }

    private static final String SET_DELIVERED = "UPDATE message SET status = ?, receipt = ?, attempts = attempts + 1, updated_at = ? "
            + "WHERE id = ?";
    private static final StatusUpdate DELIVERED = StatusUpdate.of(SET_DELIVERED);
    /** A chunk's changes ({@link #recordProcessed(List)}, {@link #recordDelivered(Map)}): only from the status before. */
    private static final String PROCESSED_FROM_RECEIVED = "UPDATE message SET status = ?, event = ?, "
            + "source_message_id = COALESCE(?, source_message_id), canonical = ?, outcome = ?, updated_at = ? WHERE id = ? AND status = ?";
    private static final String DELIVERED_FROM_SIGNED = SET_DELIVERED + " AND status = ?";
    private static final StatusUpdate STATUS = StatusUpdate.of(
            "UPDATE message SET status = ?, outcome = COALESCE(?, outcome), updated_at = ? WHERE id = ?");
    private static final StatusUpdate REPLAY = StatusUpdate.of("UPDATE message SET payload = ?, status = ?, canonical = NULL, "
            + "outcome = NULL, attempts = 0, updated_at = ? WHERE id = ? AND status = ?");
    private static final StatusUpdate FORWARD_AGAIN = StatusUpdate.of(
            "UPDATE message SET status = ?, attempts = 0, updated_at = ? WHERE id = ? AND status = ?");

    /** The result of translating, validating and signing one message: SIGNED with the signed canonical message, or REJECTED. */
    public record Processed(String id, MessageStatus status, String event, String sourceMessageId, String canonical, String outcome) {}

    /**
     * The results of processing many messages, in one transaction (a chunk): each written only if the message is still
     * RECEIVED, so a message another worker processed meanwhile keeps its result.
     *
     * @return the ids whose results were written
     */
    public List<String> recordProcessed(List<Processed> results) {
        Timestamp now = Timestamp.from(clock.instant());
        return changeStatuses(PROCESSED_FROM_RECEIVED, results, Processed::id, result -> new Object[] {result.status().name(),
                result.event(), result.sourceMessageId(), result.canonical(), result.outcome(), now, result.id(),
                MessageStatus.RECEIVED.name()});
    }

    /**
     * Many messages DELIVERED, each with its receipt and its delivering attempt counted, in one transaction (a chunk
     * forwarded in one transmission); each only if still SIGNED.
     *
     * @param receipts receipt by message id
     * @return the ids marked delivered
     */
    public List<String> recordDelivered(Map<String, String> receipts) {
        Timestamp now = Timestamp.from(clock.instant());
        return changeStatuses(DELIVERED_FROM_SIGNED, List.copyOf(receipts.entrySet()), Map.Entry::getKey, receipt -> new Object[] {
                MessageStatus.DELIVERED.name(), receipt.getValue(), now, receipt.getKey(), MessageStatus.SIGNED.name()});
    }

    /** Status changes of many messages in one transaction and one JDBC batch, their batch-record counts with them. */
    private <T> List<String> changeStatuses(String update, List<T> changes, Function<T, String> id, Function<T, Object[]> arguments) {
        if (changes.isEmpty()) {
            return List.of();
        }
        return transactions.execute(transaction -> {
            int[] rows = jdbc.batchUpdate(update, changes.stream().map(arguments).toList());
            List<String> changed = new ArrayList<>();
            for (int i = 0; i < rows.length; i++) {
                // A driver may answer SUCCESS_NO_INFO (-2) for a row of a batch: count it as changed, which the counts
                // tolerate (they move only where status and counted_status differ).
                if (rows[i] != 0) {
                    changed.add(id.apply(changes.get(i)));
                }
            }
            batchRecords.statusesChanged(changed);
            return changed;
        });
    }

    /**
     * A forwarding attempt that did not deliver (the platform unavailable, refusing, or the open circuit breaker).
     * The attempt that delivers is counted by {@link #recordDelivered} in the same write; an attempt cut short by a
     * crash is not counted.
     */
    public void recordAttempt(String id) {
        jdbc.update("UPDATE message SET attempts = attempts + 1, updated_at = ? WHERE id = ?", Timestamp.from(clock.instant()), id);
    }

    /** DELIVERED with the platform's receipt; counts the attempt that delivered it (one commit, not two). */
    public void recordDelivered(String id, String receipt) {
        changeStatus(id, DELIVERED, MessageStatus.DELIVERED.name(), receipt, Timestamp.from(clock.instant()), id);
    }

    public void recordStatus(String id, MessageStatus status, String outcome) {
        changeStatus(id, STATUS, status.name(), outcome, Timestamp.from(clock.instant()), id);
    }

    /** Replaces the payload of a quarantined message with a corrected one and sets it back to RECEIVED; forced (the caller is answered). */
    public boolean replaceForReplay(String id, byte[] payload) {
        return forcedIfChanged(changeStatus(id, REPLAY, payload, MessageStatus.RECEIVED.name(), Timestamp.from(clock.instant()), id,
                MessageStatus.REJECTED.name()));
    }

    /** Sets a dead-lettered message back to SIGNED for another round of forwarding; forced (the caller is answered). */
    public boolean resetForForwarding(String id) {
        return forcedIfChanged(changeStatus(id, FORWARD_AGAIN, MessageStatus.SIGNED.name(), Timestamp.from(clock.instant()), id,
                MessageStatus.DEAD_LETTERED.name()));
    }

    /**
     * Replaces the signed canonical message of a dead letter (signed again under the gateway's current certificate before
     * a replay); nothing else changes, and nothing if the message is not DEAD_LETTERED.
     */
    public boolean replaceSignedDeadLetter(String id, String signedCanonical) {
        return jdbc.update("UPDATE message SET canonical = ?, updated_at = ? WHERE id = ? AND status = ?", signedCanonical,
                Timestamp.from(clock.instant()), id, MessageStatus.DEAD_LETTERED.name()) == 1;
    }

    /** A change an operator's or sender's answer rests on: forced to the device ({@link LedgerDiskSync}) if it changed the row. */
    private boolean forcedIfChanged(int changedRows) {
        if (changedRows == 1) {
            diskSync.afterCommit();
            return true;
        }
        return false;
    }

    /**
     * Every status change goes through here. A single message (no batch, the most of them) is one conditional
     * UPDATE in its own commit and nothing else; only when that changed no row, the row being a batch record (or
     * not in the status the update requires), does the update run again for batch records only, in a transaction
     * that also holds what the batch side records for the change ({@link BatchRecordStatusListener}: its record
     * counts). Sound because {@code batch_id} is written once, when the row is inserted.
     */
    private int changeStatus(String id, StatusUpdate update, Object... arguments) {
        int changed = jdbc.update(update.ofSingleMessage(), arguments);
        if (changed > 0) {
            return changed;
        }
        Integer batchRecordChanged = transactions.execute(transaction -> {
            int rows = jdbc.update(update.ofBatchRecord(), arguments);
            if (rows > 0) {
                batchRecords.statusesChanged(List.of(id));
            }
            return rows;
        });
        return batchRecordChanged == null ? 0 : batchRecordChanged;
    }

    /**
     * A status change, {@code UPDATE message SET ... WHERE id = ? [AND ...]} (conditions joined by AND only), in
     * its two forms: for a message outside any batch and for a batch record.
     */
    private record StatusUpdate(String ofSingleMessage, String ofBatchRecord) {
        static StatusUpdate of(String update) {
            return new StatusUpdate(update + " AND batch_id IS NULL", update + " AND batch_id IS NOT NULL");
        }
    }

    /**
     * What one {@link #removeDeliveredContent} call did: how many messages it found, how many of them lost their content
     * by this call (fewer if another node was quicker), and the latest change time among those found.
     */
    public record ContentRemoval(int found, int removed, Instant lastChangedAt) {}

    /**
     * Removes the content of at most {@code limit} DELIVERED messages last changed in {@code [from, before)} whose content
     * is still held, oldest first: the payload becomes empty, the signed canonical message null, {@code content_removed_at}
     * is set; nothing else changes (not {@code updated_at}, so the message's history reads as before). One transaction;
     * not forced to the device (a removal lost in a crash is made again at the next call). Calls from several nodes at
     * once each remove a message's content once.
     *
     * @return what was found and changed; the next page starts at its {@code lastChangedAt} ({@code from} when none was
     *     found), and there is none when fewer than {@code limit} were found
     */
    public ContentRemoval removeDeliveredContent(Instant from, Instant before, int limit) {
        List<Map.Entry<String, Instant>> page = jdbc.query("SELECT id, updated_at FROM message WHERE status = ? AND updated_at >= ? "
                        + "AND updated_at < ? AND content_removed_at IS NULL ORDER BY updated_at LIMIT ?",
                (rs, row) -> Map.entry(rs.getString("id"), instant(rs, "updated_at")),
                MessageStatus.DELIVERED.name(), Timestamp.from(from), Timestamp.from(before), limit);
        if (page.isEmpty()) {
            return new ContentRemoval(0, 0, from);
        }
        Timestamp now = Timestamp.from(clock.instant());
        int[] rows = transactions.execute(transaction -> jdbc.batchUpdate("UPDATE message SET payload = ?, canonical = NULL, "
                        + "content_removed_at = ? WHERE id = ? AND status = ? AND content_removed_at IS NULL",
                page.stream().map(entry -> new Object[] {new byte[0], now, entry.getKey(), MessageStatus.DELIVERED.name()}).toList()));
        int removed = 0;
        for (int changed : rows) {
            // SUCCESS_NO_INFO (-2) from a driver counts as one
            removed += changed == 0 ? 0 : 1;
        }
        return new ContentRemoval(page.size(), removed, page.get(page.size() - 1).getValue());
    }

    /** Messages of an institution in a status, oldest first: {@code limit} of them from the {@code offset}-th on. */
    public List<LedgerEntry> list(String institution, MessageStatus status, long offset, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM message WHERE institution = ? AND status = ? ORDER BY received_at, id "
                + "LIMIT ? OFFSET ?", ROW, institution, status.name(), limit, offset);
    }

    /** Which of these messages are in a final status (REJECTED, DELIVERED, DEAD_LETTERED); one query per 500 ids. */
    public List<String> finalAmong(Collection<String> ids) {
        List<String> all = List.copyOf(ids);
        List<String> finals = new ArrayList<>();
        for (int from = 0; from < all.size(); from += 500) {
            List<String> part = all.subList(from, Math.min(from + 500, all.size()));
            List<Object> arguments = new ArrayList<>(part);
            arguments.addAll(List.of(MessageStatus.REJECTED.name(), MessageStatus.DELIVERED.name(), MessageStatus.DEAD_LETTERED.name()));
            finals.addAll(jdbc.queryForList("SELECT id FROM message WHERE id IN (" + String.join(", ", Collections.nCopies(part.size(), "?"))
                    + ") AND status IN (?, ?, ?)", String.class, arguments.toArray()));
        }
        return finals;
    }

    /** Messages in a status last touched before a time, oldest first (recovery after a crash). */
    public List<String> idsInStatusBefore(MessageStatus status, Instant before, int limit) {
        return jdbc.queryForList("SELECT id FROM message WHERE status = ? AND updated_at < ? ORDER BY updated_at LIMIT ?",
                String.class, status.name(), Timestamp.from(before), limit);
    }

    public long count(MessageStatus status) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM message WHERE status = ?", Long.class, status.name());
        return count == null ? 0 : count;
    }

    private static final RowMapper<LedgerEntry> ROW = (ResultSet rs, int row) -> new LedgerEntry(
            rs.getString("id"), rs.getString("institution"), rs.getString("adapter"), rs.getString("source_message_id"),
            MessageStatus.valueOf(rs.getString("status")), rs.getString("event"), rs.getBytes("payload"),
            rs.getString("content_type"), rs.getString("canonical"), rs.getString("outcome"), rs.getString("receipt"),
            rs.getInt("attempts"), instant(rs, "received_at"), instant(rs, "updated_at"));

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
