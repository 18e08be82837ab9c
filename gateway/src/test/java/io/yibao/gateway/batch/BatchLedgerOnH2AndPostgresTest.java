package io.yibao.gateway.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yibao.gateway.ledger.LedgerDiskSync;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The V2/V4 batch schema and every {@link BatchLedger} operation on H2 and a real PostgreSQL: a batch
 * recorded once per file content, the checkpointed chunk (records, duplicates, their counts and checkpoint
 * together, nothing when the checkpoint moved or a key is taken), counts kept by {@link BatchRecordCounts} and
 * paged records.
 */
class BatchLedgerOnH2AndPostgresTest {
    @TempDir
    static Path dir;
    private static EmbeddedPostgres postgres;

    static Stream<Arguments> databases() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        // Open for the whole test, as the gateway's connection pool keeps it: without a pool every
        // JdbcTemplate call closes the last connection and H2 closes and reopens the file between the
        // statements, which once lost the batch row after the rolled-back chunk in a full build.
        h2.setURL("jdbc:h2:file:" + dir.resolve("batch-ledger-test") + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        if (postgres == null) { // one server for every test method of the class
            postgres = EmbeddedPostgres.builder().start();
        }
        return Stream.of(Arguments.of("H2", h2), Arguments.of("PostgreSQL", postgres.getPostgresDatabase()));
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void batchesAreRecordedOnceAndSplitInCheckpointedChunks(String name, DataSource dataSource) {
        Ledgers ledgers = Ledgers.migrated(dataSource);
        JdbcTemplate jdbc = ledgers.jdbc();
        BatchLedger ledger = ledgers.batches();
        MessageLedger messages = ledgers.messages();

        assertThat(ledger.recordIfNew("b-1", "H11010500001", "hospital-hl7v2", "f.hl7", null, "ab".repeat(32), 10, "/spool/b-1", null)).isEmpty();
        assertThat(ledger.recordIfNew("b-2", "H11010500001", "hospital-hl7v2", "g.hl7", null, "ab".repeat(32), 10, "/spool/b-2", null))
                .contains("b-1");
        assertThat(ledger.transition("b-1", BatchStatus.RECEIVED, BatchStatus.CHECKING)).isTrue();
        ledger.startSplitting("b-1", 3, "B1");
        BatchEntry batch = ledger.find("b-1").orElseThrow();
        assertThat(batch.status()).isEqualTo(BatchStatus.SPLITTING);
        assertThat(batch.totalRecords()).isEqualTo(3L);

        byte[] payload = "MSH|测试".getBytes(StandardCharsets.UTF_8);
        List<BatchLedger.NewRecord> chunk = List.of(
                new BatchLedger.NewRecord("m-1", "src:A1", "A1", payload, "x-application/hl7-v2+er7", 1, "lines 2-7"),
                new BatchLedger.NewRecord("m-2", "src:A2", "A2", payload, "x-application/hl7-v2+er7", 2, "lines 8-13"));
        List<BatchLedger.DuplicateRecord> duplicates = List.of(new BatchLedger.DuplicateRecord(3, "lines 14-19", "m-1"));
        assertThat(ledger.recordChunk(batch, 2, 4, chunk, duplicates)).as("checkpoint not at 2").isFalse();
        assertThat(ledger.recordCounts("b-1")).isEmpty();
        assertThat(ledger.recordChunk(batch, 1, 4, chunk, duplicates)).isTrue();
        assertThat(ledger.find("b-1").orElseThrow().nextRecord()).isEqualTo(4);

        BatchEntry other = new BatchEntry("b-1", "H11010500001", "hospital-hl7v2", null, null, null, 0, null, null, BatchStatus.SPLITTING,
                null, 3L, 4, null, 1, null, null, null);
        assertThatThrownBy(() -> ledger.recordChunk(other, 4, 5,
                List.of(new BatchLedger.NewRecord("m-9", "src:A1", "A1", payload, null, 4, "line 20")), List.of()))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(ledger.find("b-1").orElseThrow().nextRecord()).as("rolled back with the insert").isEqualTo(4);

        assertThat(ledger.existingKeys("H11010500001", List.of("src:A1", "src:A2", "src:A3"))).isEqualTo(Map.of("src:A1", "m-1", "src:A2", "m-2"));
        assertThat(ledger.recordCounts("b-1")).isEqualTo(Map.of(MessageStatus.RECEIVED, 2L));
        assertThat(ledger.find("b-1").orElseThrow().duplicateRecords()).isEqualTo(1);
        messages.recordProcessed(List.of(new MessageLedger.Processed("m-2", MessageStatus.REJECTED, "2401", null, null, "{}")));
        assertThat(ledger.recordCounts("b-1")).isEqualTo(Map.of(MessageStatus.RECEIVED, 1L, MessageStatus.REJECTED, 1L));
        assertThat(ledger.records("b-1", EnumSet.of(MessageStatus.REJECTED, MessageStatus.DEAD_LETTERED), 0, 10))
                .extracting(BatchLedger.RecordOutcome::recordNo, BatchLedger.RecordOutcome::location).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, "lines 8-13"));
        assertThat(ledger.duplicates("b-1", 0, 10)).containsExactly(duplicates.get(0));
        assertThat(ledger.transition("b-1", BatchStatus.SPLITTING, BatchStatus.IN_PROGRESS)).isTrue();
        assertThat(ledger.idsInStatusBefore(BatchStatus.IN_PROGRESS, java.time.Instant.now().plusSeconds(5), 10)).containsExactly("b-1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void countsFollowEachStatusChangeOnceAndAReplayReopensACompletedBatch(String name, DataSource dataSource) {
        Ledgers ledgers = Ledgers.migrated(dataSource);
        JdbcTemplate jdbc = ledgers.jdbc();
        BatchLedger ledger = ledgers.batches();
        MessageLedger messages = ledgers.messages();
        splitting(ledger, "c-1", "H11010500001", "hospital-hl7v2", "cd".repeat(32), 3, "C1");
        ledger.startSplitting("c-1", 3, "C1"); // a redelivered check: the counters are not created twice
        byte[] payload = "MSH|".getBytes(StandardCharsets.UTF_8);
        // records 1 and 17 share a counter shard (16 shards): their changes add up on the same rows
        ledger.recordChunk(ledger.find("c-1").orElseThrow(), 1, 4, List.of(
                new BatchLedger.NewRecord("c-m1", "src:C1", "C1", payload, null, 1, "line 1"),
                new BatchLedger.NewRecord("c-m2", "src:C2", "C2", payload, null, 2, "line 2"),
                new BatchLedger.NewRecord("c-m3", "src:C3", "C3", payload, null, 17, "line 17")), List.of());
        ledger.transition("c-1", BatchStatus.SPLITTING, BatchStatus.IN_PROGRESS);
        assertThat(ledger.recordCounts("c-1")).isEqualTo(Map.of(MessageStatus.RECEIVED, 3L));
        assertThat(ledger.completeIfNoneWaiting("c-1")).as("records wait").isFalse();

        // every step twice, as a redelivered JMS message or a recovery sweep repeats it: counted once
        for (int time = 0; time < 2; time++) {
            messages.recordProcessed(List.of(new MessageLedger.Processed("c-m1", MessageStatus.SIGNED, "2401", null, "{}", null)));
            messages.recordDelivered("c-m1", "receipt");
            messages.recordProcessed(List.of(new MessageLedger.Processed("c-m2", MessageStatus.REJECTED, "2401", null, null, "{}")));
            messages.recordProcessed(List.of(new MessageLedger.Processed("c-m3", MessageStatus.SIGNED, "2401", null, "{}", null)));
            messages.recordStatus("c-m3", MessageStatus.DEAD_LETTERED, "{}");
        }
        Map<MessageStatus, Long> expected = Map.of(MessageStatus.DELIVERED, 1L, MessageStatus.REJECTED, 1L, MessageStatus.DEAD_LETTERED, 1L);
        assertThat(ledger.recordCounts("c-1")).isEqualTo(expected).isEqualTo(recount(jdbc, "c-1"));

        // a change that fails before its commit (a crash after the count moved) takes its count with it
        MessageLedger crashingAfterCounting = new MessageLedger(jdbc, ledgers.transactions(), Clock.systemUTC(), messageIds -> {
            ledgers.counts().statusesChanged(messageIds);
            throw new IllegalStateException("crash before commit");
        }, new LedgerDiskSync(jdbc));
        assertThatThrownBy(() -> crashingAfterCounting.recordStatus("c-m1", MessageStatus.RECEIVED, null))
                .hasMessage("crash before commit");
        assertThat(messages.find("c-m1").orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(ledger.recordCounts("c-1")).isEqualTo(expected).isEqualTo(recount(jdbc, "c-1"));

        assertThat(ledger.completeIfNoneWaiting("c-1")).isTrue();
        assertThat(ledger.find("c-1").orElseThrow().status()).isEqualTo(BatchStatus.COMPLETE);
        assertThat(ledger.completeIfNoneWaiting("c-1")).as("complete once").isFalse();

        // a replay from quarantine after completion reopens the batch until the record is final again
        assertThat(messages.replaceForReplay("c-m2", payload)).isTrue();
        assertThat(ledger.find("c-1").orElseThrow().status()).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(ledger.recordCounts("c-1")).isEqualTo(Map.of(MessageStatus.DELIVERED, 1L, MessageStatus.RECEIVED, 1L,
                MessageStatus.DEAD_LETTERED, 1L));
        assertThat(ledger.completeIfNoneWaiting("c-1")).isFalse();
        messages.recordProcessed(List.of(new MessageLedger.Processed("c-m2", MessageStatus.SIGNED, "2401", null, "{}", null)));
        messages.recordDelivered("c-m2", "receipt");
        assertThat(ledger.completeIfNoneWaiting("c-1")).isTrue();
        assertThat(messages.resetForForwarding("c-m3")).isTrue();
        assertThat(ledger.find("c-1").orElseThrow().status()).as("a dead letter sent again reopens it too").isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(ledger.recordCounts("c-1")).isEqualTo(Map.of(MessageStatus.DELIVERED, 2L, MessageStatus.SIGNED, 1L))
                .isEqualTo(recount(jdbc, "c-1"));

        // a single message (no batch) changes status without touching any batch's counters
        messages.recordIfNew("c-single", "H11010500001", "hospital-hl7v2", "src:S1", "S1", payload, null);
        messages.recordProcessed(List.of(new MessageLedger.Processed("c-single", MessageStatus.REJECTED, "2401", null, null, "{}")));
        assertThat(messages.find("c-single").orElseThrow().status()).isEqualTo(MessageStatus.REJECTED);
        assertThat(ledger.recordCounts("c-1")).isEqualTo(recount(jdbc, "c-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aChunksResultsAndDeliveriesAreRecordedTogetherOnlyFromTheStatusBeforeAndCountedOnce(String name, DataSource dataSource) {
        Ledgers ledgers = Ledgers.migrated(dataSource);
        JdbcTemplate jdbc = ledgers.jdbc();
        BatchLedger ledger = ledgers.batches();
        MessageLedger messages = ledgers.messages();
        splitting(ledger, "k-1", "P11010500002", "pharmacy-csv", "ef".repeat(32), 4, null);
        byte[] payload = "row".getBytes(StandardCharsets.UTF_8);
        // records 1 and 17 share a counter shard: a chunk's changes add up on the same counter rows
        ledger.recordChunk(ledger.find("k-1").orElseThrow(), 1, 18, List.of(
                new BatchLedger.NewRecord("k-m1", "batch:k:1", null, payload, null, 1, "line 2"),
                new BatchLedger.NewRecord("k-m2", "batch:k:2", null, payload, null, 2, "line 3"),
                new BatchLedger.NewRecord("k-m3", "batch:k:3", null, payload, null, 3, "line 4"),
                new BatchLedger.NewRecord("k-m17", "batch:k:17", null, payload, null, 17, "line 18")), List.of());
        ledger.transition("k-1", BatchStatus.SPLITTING, BatchStatus.IN_PROGRESS);
        // another worker processed record 3 meanwhile (a recovery sweep): the chunk's result for it is not written
        messages.recordProcessed(List.of(new MessageLedger.Processed("k-m3", MessageStatus.REJECTED,
                "2401", null, null, "{\"by\":\"the other\"}")));

        List<MessageLedger.Processed> results = List.of(
                new MessageLedger.Processed("k-m1", MessageStatus.SIGNED, "2401", "S1", "{\"signed\":1}", "[]"),
                new MessageLedger.Processed("k-m2", MessageStatus.REJECTED, "2401", null, null, "{\"rule\":\"map-required\"}"),
                new MessageLedger.Processed("k-m3", MessageStatus.SIGNED, "2401", null, "{\"signed\":3}", "[]"),
                new MessageLedger.Processed("k-m17", MessageStatus.SIGNED, "2401", null, "{\"signed\":17}", "[]"));
        assertThat(messages.recordProcessed(results)).containsExactly("k-m1", "k-m2", "k-m17");
        assertThat(messages.recordProcessed(results)).as("a redelivered chunk writes nothing again").isEmpty();
        assertThat(messages.find("k-m3").orElseThrow().outcome()).contains("the other");
        assertThat(messages.find("k-m1").orElseThrow()).satisfies(entry -> {
            assertThat(entry.sourceMessageId()).isEqualTo("S1");
            assertThat(entry.canonical()).isEqualTo("{\"signed\":1}");
        });
        assertThat(ledger.recordCounts("k-1")).isEqualTo(Map.of(MessageStatus.SIGNED, 2L, MessageStatus.REJECTED, 2L))
                .isEqualTo(recount(jdbc, "k-1"));

        Map<String, String> receipts = new java.util.LinkedHashMap<>();
        receipts.put("k-m1", "{\"receiptId\":\"r-1\"}");
        receipts.put("k-m17", "{\"receiptId\":\"r-17\"}");
        receipts.put("k-m2", "{\"receiptId\":\"not signed, never sent\"}");
        assertThat(messages.recordDelivered(receipts)).containsExactly("k-m1", "k-m17");
        assertThat(messages.recordDelivered(receipts)).isEmpty();
        assertThat(messages.find("k-m17").orElseThrow()).satisfies(entry -> {
            assertThat(entry.status()).isEqualTo(MessageStatus.DELIVERED);
            assertThat(entry.receipt()).contains("r-17");
            assertThat(entry.attempts()).as("the delivering attempt, counted once").isEqualTo(1);
        });
        assertThat(messages.find("k-m2").orElseThrow().status()).isEqualTo(MessageStatus.REJECTED);
        assertThat(ledger.recordCounts("k-1")).isEqualTo(Map.of(MessageStatus.DELIVERED, 2L, MessageStatus.REJECTED, 2L))
                .isEqualTo(recount(jdbc, "k-1"));
        assertThat(ledger.completeIfNoneWaiting("k-1")).isTrue();
        assertThat(messages.findAllForForwarding(List.of("k-m1", "k-m17", "unknown")))
                .extracting(entry -> entry.id()).containsExactlyInAnyOrder("k-m1", "k-m17");
    }

    /** Empty databases of their own (H2 file, PostgreSQL database on the same server), for a migration from V2. */
    static Stream<Arguments> emptyDatabases() throws Exception {
        databases();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("batch-ledger-v2") + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE batch_ledger_v2");
        return Stream.of(Arguments.of("H2", h2), Arguments.of("PostgreSQL", postgres.getDatabase("postgres", "batch_ledger_v2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyDatabases")
    void theV4MigrationCountsTheRecordsOfBatchesRecordedBefore(String name, DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("2").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update("INSERT INTO batch (id, institution, adapter, sha256, size_bytes, spool_path, status, total_records, next_record, "
                + "received_at, updated_at) VALUES ('v-1', 'H11010500001', 'hospital-hl7v2', 'ef', 1, '/spool/v-1', 'IN_PROGRESS', 3, 4, "
                + "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        String[] statuses = {"DELIVERED", "REJECTED", "SIGNED"};
        for (int record = 1; record <= 3; record++) {
            jdbc.update("INSERT INTO message (id, institution, adapter, dedupe_key, status, payload, received_at, updated_at, batch_id, "
                            + "record_no) VALUES (?, 'H11010500001', 'hospital-hl7v2', ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'v-1', ?)",
                    "v-m" + record, "src:V" + record, statuses[record - 1], new byte[] {1}, record);
        }
        jdbc.update("INSERT INTO batch_duplicate (batch_id, record_no, message_id) VALUES ('v-1', 4, 'v-m1')");

        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();

        Ledgers ledgers = Ledgers.on(dataSource);
        BatchLedger ledger = ledgers.batches();
        assertThat(ledger.recordCounts("v-1")).isEqualTo(Map.of(MessageStatus.DELIVERED, 1L, MessageStatus.REJECTED, 1L,
                MessageStatus.SIGNED, 1L));
        assertThat(ledger.find("v-1").orElseThrow().duplicateRecords()).isEqualTo(1);
        ledgers.messages().recordDelivered("v-m3", "receipt");
        assertThat(ledger.recordCounts("v-1")).isEqualTo(Map.of(MessageStatus.DELIVERED, 2L, MessageStatus.REJECTED, 1L))
                .isEqualTo(recount(jdbc, "v-1"));
        assertThat(ledger.completeIfNoneWaiting("v-1")).isTrue();
    }

    /** A batch recorded, checked and splitting: its counters exist, no record yet. */
    private static void splitting(BatchLedger ledger, String id, String institution, String adapter, String sha256, long records,
                                  String reference) {
        ledger.recordIfNew(id, institution, adapter, id + ".file", null, sha256, 10, "/spool/" + id, null);
        ledger.transition(id, BatchStatus.RECEIVED, BatchStatus.CHECKING);
        ledger.startSplitting(id, records, reference);
    }

    /** The batch and message ledgers on one database, sharing its record counters, as the gateway wires them. */
    private record Ledgers(JdbcTemplate jdbc, TransactionTemplate transactions, BatchRecordCounts counts, BatchLedger batches,
                           MessageLedger messages) {
        /** On a database migrated to the latest schema. */
        static Ledgers migrated(DataSource dataSource) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            return on(dataSource);
        }

        static Ledgers on(DataSource dataSource) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            BatchRecordCounts counts = new BatchRecordCounts(jdbc, Clock.systemUTC());
            LedgerDiskSync diskSync = new LedgerDiskSync(jdbc);
            return new Ledgers(jdbc, transactions, counts, new BatchLedger(jdbc, transactions, counts, Clock.systemUTC(), diskSync),
                    new MessageLedger(jdbc, transactions, Clock.systemUTC(), counts, diskSync));
        }
    }

    /** The truth the counters must equal: the batch's rows in message, counted. */
    private static Map<MessageStatus, Long> recount(JdbcTemplate jdbc, String batchId) {
        Map<MessageStatus, Long> counts = new java.util.EnumMap<>(MessageStatus.class);
        jdbc.query("SELECT status, COUNT(*) FROM message WHERE batch_id = ? GROUP BY status",
                rs -> {
                    counts.put(MessageStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }, batchId);
        return counts;
    }
}
