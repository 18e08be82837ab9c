package io.yibao.gateway.batch;

import io.yibao.gateway.ledger.BatchRecordStatusListener;
import io.yibao.gateway.ledger.MessageStatus;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A batch's records by message status, kept as counters ({@code batch_record_count}, Flyway V4) instead of
 * counted in {@code message} at every read: the batch view, the report and the completion check read at most
 * {@code 5 x SHARDS} rows whatever the batch's size.
 *
 * <p>Why counters that are correct under crash and redelivery: a message's status change and its count move
 * in one transaction (the message ledger calls {@link #statusesChanged} inside the transaction of the change), and
 * each batch record carries the status it is counted under
 * ({@code message.counted_status}): the count moves only when that differs from the status just written, so a
 * step that is repeated (a redelivered JMS message, a recovery sweep) writes the same status and counts nothing
 * again, and a crash rolls back the change and its count together. Counters are per shard ({@code record_no mod
 * SHARDS}) so that concurrent status changes of one batch do not all wait on one row lock.
 *
 * <p>A record that leaves a final status (a replay from quarantine, a dead letter forwarded again) reopens a
 * COMPLETE batch (IN_PROGRESS), so its completion, and the report written then, are done again with the
 * record's new outcome. That change takes the batch row's lock first, as {@link BatchLedger#completeIfNoneWaiting}
 * does before it reads the counters: a completion can never miss a record that was just replayed.
 */
@Component
public class BatchRecordCounts implements BatchRecordStatusListener {
    /** Counter rows per batch and status; fixed by the V4 migration's backfill. */
    static final int SHARDS = 16;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public BatchRecordCounts(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The counter rows of a batch that starts splitting, all zero; in the caller's transaction. */
    void create(String batchId) {
        List<Object[]> rows = new ArrayList<>();
        for (MessageStatus status : MessageStatus.values()) {
            for (int shard = 0; shard < SHARDS; shard++) {
                rows.add(new Object[] {batchId, status.name(), shard});
            }
        }
        jdbc.batchUpdate("INSERT INTO batch_record_count (batch_id, status, shard, records) VALUES (?, ?, ?, 0)", rows);
    }

    /** Counts newly inserted RECEIVED records (their message rows carry counted_status RECEIVED); in the caller's transaction. */
    void countReceived(String batchId, List<Long> recordNumbers) {
        long[] perShard = new long[SHARDS];
        recordNumbers.forEach(number -> perShard[shard(number)]++);
        for (int shard = 0; shard < SHARDS; shard++) {
            if (perShard[shard] > 0) {
                jdbc.update("UPDATE batch_record_count SET records = records + ? WHERE batch_id = ? AND status = ? AND shard = ?",
                        perShard[shard], batchId, MessageStatus.RECEIVED.name(), shard);
            }
        }
    }

    /** The batch's records by status (statuses without records absent). */
    public Map<MessageStatus, Long> of(String batchId) {
        Map<MessageStatus, Long> counts = new EnumMap<>(MessageStatus.class);
        jdbc.query("SELECT status, SUM(records) FROM batch_record_count WHERE batch_id = ? GROUP BY status",
                rs -> {
                    long records = rs.getLong(2);
                    if (records != 0) {
                        counts.put(MessageStatus.valueOf(rs.getString(1)), records);
                    }
                }, batchId);
        return counts;
    }

    /**
     * Moves the counts of the batch records among {@code messageIds} from the status each is counted under to the
     * one just written, where they differ; in the transaction of the status changes (the message ledger's). Ids of
     * messages outside any batch are ignored. A chunk of records costs one read, one counter update per (batch,
     * shard, status) touched and one marking update, not five statements per record.
     */
    @Override
    public void statusesChanged(Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return;
        }
        // The rows are locked by the updates just made in this transaction: no other change of them interleaves.
        Map<CounterRow, Long> deltas = new TreeMap<>();
        Set<String> reopened = new TreeSet<>();
        List<String> moved = new ArrayList<>();
        jdbc.query("SELECT id, batch_id, record_no, status, counted_status FROM message WHERE id IN (" + marks(messageIds.size())
                + ") AND batch_id IS NOT NULL", rs -> {
                    MessageStatus now = MessageStatus.valueOf(rs.getString("status"));
                    String countedName = rs.getString("counted_status");
                    MessageStatus counted = countedName == null ? null : MessageStatus.valueOf(countedName);
                    if (now == counted) {
                        return; // the same step again: already counted
                    }
                    String batchId = rs.getString("batch_id");
                    int shard = shard(rs.getLong("record_no"));
                    if (counted != null && counted.isFinal() && !now.isFinal()) {
                        reopened.add(batchId);
                    }
                    deltas.merge(new CounterRow(batchId, now.name(), shard), 1L, Long::sum);
                    if (counted != null) {
                        deltas.merge(new CounterRow(batchId, counted.name(), shard), -1L, Long::sum);
                    }
                    moved.add(rs.getString("id"));
                }, messageIds.toArray());
        // Back from a final status: lock the batch row before the counters (the completion check's order), and reopen
        // the batch if it was complete.
        for (String batchId : reopened) {
            jdbc.update("UPDATE batch SET status = ?, updated_at = ? WHERE id = ? AND status IN (?, ?)",
                    BatchStatus.IN_PROGRESS.name(), Timestamp.from(clock.instant()), batchId, BatchStatus.IN_PROGRESS.name(),
                    BatchStatus.COMPLETE.name());
        }
        // In primary-key order (the TreeMap's), so that two chunks of one batch take the counter rows' locks in the same
        // order and never crosswise.
        deltas.forEach((row, delta) -> {
            if (delta != 0) {
                jdbc.update("UPDATE batch_record_count SET records = records + ? WHERE batch_id = ? AND status = ? AND shard = ?",
                        delta, row.batchId(), row.status(), row.shard());
            }
        });
        if (!moved.isEmpty()) {
            jdbc.update("UPDATE message SET counted_status = status WHERE id IN (" + marks(moved.size()) + ")", moved.toArray());
        }
    }

    /** A counter row's primary key, ordered as the table's primary key (batch_id, status, shard). */
    private record CounterRow(String batchId, String status, int shard) implements Comparable<CounterRow> {
        private static final Comparator<CounterRow> ORDER = Comparator.comparing(CounterRow::batchId)
                .thenComparing(CounterRow::status).thenComparingInt(CounterRow::shard);

        @Override
        public int compareTo(CounterRow other) {
            return ORDER.compare(this, other);
        }
    }

    private static String marks(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    private static int shard(long recordNo) {
        return (int) Math.floorMod(recordNo, (long) SHARDS);
    }
}
