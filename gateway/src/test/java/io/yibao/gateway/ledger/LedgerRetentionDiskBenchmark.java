package io.yibao.gateway.ledger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.yibao.gateway.batch.BatchRecordCounts;
import io.yibao.gateway.config.GatewayProperties;
import io.yibao.gateway.ingress.SettableClock;
import io.yibao.gateway.operations.LedgerRetention;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;

/**
 * What retention does to the H2 ledger file (docs/benchmarks.md, "Ledger retention and the disk"): rounds of delivered
 * messages (a 1.2 KB payload, a 7 KB signed canonical message, as the HL7 admission's), each round 30 days after the one
 * before, with 90 days of retention, on a fresh H2 file ledger as the gateway runs it ({@code WRITE_DELAY 0}); once
 * keeping everything, once sweeping after each round. After a sweep it waits 50 s, more than H2's MVStore keeps freed
 * space from being reused (45 s; the gateway sweeps hourly). Prints the file's size after each round. A program, not a
 * test:
 * <pre>
 * ./mvnw -B -q -pl gateway test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.yibao.gateway.ledger.LedgerRetentionDiskBenchmark [-Dexec.args="MESSAGES_PER_ROUND ROUNDS"]
 * </pre>
 */
public final class LedgerRetentionDiskBenchmark {
    private static final Duration REUSE_AFTER = Duration.ofSeconds(50);

    private LedgerRetentionDiskBenchmark() {}

    public static void main(String[] args) throws Exception {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        for (boolean sweep : List.of(false, true)) {
            run(sweep, perRound, rounds);
        }
    }

    private static void run(boolean sweep, int perRound, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("yibao-ledger-retention-benchmark");
        try {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:file:" + dir.resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE;DB_CLOSE_DELAY=-1");
            h2.setUser("sa");
            Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(h2);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(h2));
            SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
            MessageLedger ledger = new MessageLedger(jdbc, transactions, clock, new BatchRecordCounts(jdbc, clock), new LedgerDiskSync(jdbc));
            GatewayProperties properties = new GatewayProperties();
            properties.getRetention().setDeliveredContentAfter(Duration.ofDays(90));
            LedgerRetention retention = new LedgerRetention(ledger, properties, new SimpleMeterRegistry(), clock);
            byte[] payload = ("MSH|^~\\&|" + "x".repeat(1200)).getBytes(StandardCharsets.UTF_8);
            String signed = signedLike(7_000);
            System.out.printf("%s, %d delivered messages a round, a round every 30 days, 90 days of retention%n",
                    sweep ? "retention sweeping after each round" : "everything kept", perRound);
            for (int round = 1; round <= rounds; round++) {
                String prefix = round + "-";
                Timestamp at = Timestamp.from(clock.now);
                for (int first = 0; first < perRound; first += 100) {
                    List<Object[]> rows = new ArrayList<>();
                    for (int i = first; i < Math.min(first + 100, perRound); i++) {
                        String id = prefix + i;
                        rows.add(new Object[] {id, "src:" + id, id, payload, signed, at, at});
                    }
                    // the chunk's rows as the ledger leaves them once delivered, one commit per chunk of 100
                    transactions.executeWithoutResult(transaction -> jdbc.batchUpdate("INSERT INTO message (id, institution, adapter, "
                            + "dedupe_key, source_message_id, status, event, payload, canonical, receipt, attempts, received_at, "
                            + "updated_at) VALUES (?, 'H11010500001', 'hospital-hl7v2', ?, ?, 'DELIVERED', '2401', ?, ?, "
                            + "'{\"status\":\"accepted\"}', 1, ?, ?)", rows));
                }
                clock.now = clock.now.plus(Duration.ofDays(30));
                long started = System.nanoTime();
                int removed = sweep ? retention.sweep() : 0;
                long sweepMillis = (System.nanoTime() - started) / 1_000_000;
                System.out.printf("round %d: %,d messages, content removed from %,d (sweep %,d ms), ledger file %.1f MB%n", round,
                        (long) round * perRound, removed, sweepMillis, Files.size(dir.resolve("ledger.mv.db")) / 1e6);
                if (removed > 0 && round < rounds) {
                    Thread.sleep(REUSE_AFTER.toMillis());
                }
            }
            jdbc.execute("SHUTDOWN");
        } finally {
            FileSystemUtils.deleteRecursively(dir);
        }
    }

    /** A JSON text of about {@code length} characters that does not compress to nothing (H2 does not compress; a disk might). */
    static String signedLike(int length) {
        Random random = new Random(1);
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"entry\":[");
        while (json.length() < length) {
            json.append("{\"v\":\"").append(Long.toHexString(random.nextLong())).append("\"},");
        }
        return json.append("{}]}").toString();
    }
}
