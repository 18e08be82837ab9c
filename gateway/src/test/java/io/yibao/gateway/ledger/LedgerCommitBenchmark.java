package io.yibao.gateway.ledger;

import com.sun.management.OperatingSystemMXBean;
import com.zaxxer.hikari.HikariDataSource;
import io.yibao.gateway.batch.BatchRecordCounts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;

/**
 * What sharing commits saves at ingress (docs/benchmarks.md, "The ledger's commits at ingress"): concurrent threads record
 * new messages, as ingress threads do behind each 202, once through {@link MessageLedger#recordIfNew} (commits shared,
 * {@link GroupCommit}) and once with a commit each (the same INSERT), alternately, on a fresh H2 file ledger (as the
 * gateway runs it: {@code WRITE_DELAY 0}) and on PostgreSQL (embedded server). Prints inserts per second and the JVM's
 * CPU time per insert (PostgreSQL's own processes not counted). A program, not a test:
 * <pre>
 * ./mvnw -B -q -pl gateway test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.yibao.gateway.ledger.LedgerCommitBenchmark [-Dexec.args="THREADS MESSAGES ROUNDS"]
 * </pre>
 */
public final class LedgerCommitBenchmark {
    private static final byte[] PAYLOAD = new byte[360]; // the size of the load generator's ADT^A01

    private LedgerCommitBenchmark() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 6000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        System.out.printf("ledger commits at ingress: %d threads, %d messages a run, %d cores%n", threads, messages,
                Runtime.getRuntime().availableProcessors());
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            for (int round = 1; round <= rounds; round++) {
                for (boolean shared : List.of(false, true)) {
                    run("H2", null, shared, threads, messages);
                    run("PostgreSQL", postgres, shared, threads, messages);
                }
            }
        }
    }

    private static void run(String database, EmbeddedPostgres postgres, boolean shared, int threads, int messages) throws Exception {
        Path dir = Files.createTempDirectory("yibao-ledger-commit-benchmark");
        try (HikariDataSource pool = new HikariDataSource()) {
            if (postgres == null) {
                JdbcDataSource h2 = new JdbcDataSource();
                h2.setURL("jdbc:h2:file:" + dir.resolve("ledger") + ";WRITE_DELAY=0");
                h2.setUser("sa");
                pool.setDataSource(h2);
            } else {
                pool.setDataSource(postgres.getPostgresDatabase());
                new JdbcTemplate(postgres.getPostgresDatabase()).execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
            }
            pool.setMaximumPoolSize(10); // Spring Boot's default, as the gateway runs
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            MessageLedger ledger = new MessageLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(pool)),
                    Clock.systemUTC(), new BatchRecordCounts(jdbc, Clock.systemUTC()), new LedgerDiskSync(jdbc));
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            ExecutorService senders = Executors.newFixedThreadPool(threads);
            try {
                long cpuBefore = os.getProcessCpuTime();
                long start = System.nanoTime();
                List<Future<?>> inserts = new ArrayList<>();
                for (int i = 0; i < messages; i++) {
                    String id = UUID.randomUUID().toString();
                    inserts.add(senders.submit(() -> {
                        if (shared) {
                            ledger.recordIfNew(id, "H11010500001", "hospital-hl7v2", "src:" + id, id, PAYLOAD, "x-application/hl7-v2+er7");
                        } else {
                            Timestamp now = new Timestamp(System.currentTimeMillis());
                            jdbc.update(MessageLedger.INSERT_RECEIVED, id, "H11010500001", "hospital-hl7v2", "src:" + id, id,
                                    MessageStatus.RECEIVED.name(), PAYLOAD, "x-application/hl7-v2+er7", now, now);
                        }
                    }));
                }
                for (Future<?> insert : inserts) {
                    insert.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuMicros = (os.getProcessCpuTime() - cpuBefore) / 1e3;
                System.out.printf("%-10s %-16s %8.0f inserts/s  %6.1f us JVM CPU per insert%n", database,
                        shared ? "commits shared" : "a commit each", messages / seconds, cpuMicros / messages);
            } finally {
                senders.shutdownNow();
            }
        } finally {
            FileSystemUtils.deleteRecursively(dir);
        }
    }
}
