package io.yibao.gateway.ledger;

import io.yibao.gateway.batch.BatchRecordCounts;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;

/**
 * What the ledger's writes cost as an H2 ledger ages (docs/benchmarks.md, "The ledger as it ages"): messages through the
 * lifecycle a gateway gives them, in chunks ({@code RECEIVED} inserted and forced, the chunk's signed results with a 7 KB
 * canonical message, its deliveries with a receipt; three commits per chunk, as the inbox consumer makes them), on a fresh
 * H2 file ledger as the gateway runs it, {@link LedgerCompaction} every {@link LedgerCompaction#INTERVAL} on a thread of
 * its own included. Prints, every block of messages, this thread's CPU per message and the compaction thread's, H2's own
 * figures of its file (chunks, how full they are, size) and the heap used after a collection. A program, not a test:
 * <pre>
 * ./mvnw -B -q -pl gateway test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.yibao.gateway.ledger.LedgerAgeBenchmark [-Dexec.args="MESSAGES CHUNK BLOCK [;H2_SETTING=VALUE...]"]
 * </pre>
 */
public final class LedgerAgeBenchmark {

    private LedgerAgeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int chunk = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int block = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        String settings = args.length > 3 ? args[3] : "";
        Path dir = Files.createTempDirectory("yibao-ledger-age-benchmark");
        try {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:file:" + dir.resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE;DB_CLOSE_DELAY=-1" + settings);
            h2.setUser("sa");
            Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(h2);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(h2));
            Clock clock = Clock.systemUTC();
            LedgerDiskSync diskSync = new LedgerDiskSync(jdbc);
            MessageLedger ledger = new MessageLedger(jdbc, transactions, clock, new BatchRecordCounts(jdbc, clock), diskSync);
            byte[] payload = ("MSH|^~\\&|" + "x".repeat(350)).getBytes(StandardCharsets.UTF_8);
            String signed = LedgerRetentionDiskBenchmark.signedLike(7_000);
            String receipt = "{\"receiptId\":\"" + UUID.randomUUID() + "\",\"status\":\"accepted\"," + "\"x\":\"" + "r".repeat(150) + "\"}";
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            LedgerCompaction compaction = new LedgerCompaction(diskSync);
            LongAdder compactionCpu = new LongAdder();
            ScheduledExecutorService compacting = Executors.newSingleThreadScheduledExecutor();
            long interval = LedgerCompaction.INTERVAL.toMillis();
            compacting.scheduleWithFixedDelay(() -> {
                long before = threads.getCurrentThreadCpuTime();
                compaction.compact();
                compactionCpu.add(threads.getCurrentThreadCpuTime() - before);
            }, interval, interval, TimeUnit.MILLISECONDS);
            System.out.printf("%,d messages in chunks of %d, three commits a chunk, H2 settings '%s'; figures every %,d%n", messages, chunk,
                    settings, block);
            long cpuAtBlock = threads.getCurrentThreadCpuTime();
            long wallAtBlock = System.nanoTime();
            for (int done = 0; done < messages; done += chunk) {
                Timestamp now = Timestamp.from(clock.instant());
                List<String> ids = new ArrayList<>();
                List<Object[]> rows = new ArrayList<>();
                for (int i = 0; i < chunk; i++) {
                    String id = LedgerIds.next();
                    ids.add(id);
                    rows.add(new Object[] {id, "H11010500001", "hospital-hl7v2", "MSG" + id, "MSG" + id, MessageStatus.RECEIVED.name(),
                            payload, "application/hl7-v2", now, now});
                }
                transactions.executeWithoutResult(transaction -> jdbc.batchUpdate(MessageLedger.INSERT_RECEIVED, rows));
                diskSync.afterCommit();
                ledger.recordProcessed(ids.stream().map(id -> new MessageLedger.Processed(id, MessageStatus.SIGNED, "A01", null, signed,
                        "{\"resourceType\":\"OperationOutcome\",\"issue\":[]}")).toList());
                Map<String, String> receipts = new LinkedHashMap<>();
                ids.forEach(id -> receipts.put(id, receipt));
                ledger.recordDelivered(receipts);
                if ((done + chunk) % block == 0) {
                    long cpu = threads.getCurrentThreadCpuTime();
                    long wall = System.nanoTime();
                    System.gc(); // the heap H2 keeps: its metadata of every chunk, among the rest
                    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    Map<String, String> info = new LinkedHashMap<>();
                    jdbc.query("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN "
                            + "('info.CHUNK_COUNT', 'info.CHUNKS_FILL_RATE', 'info.FILE_SIZE')", rs -> {
                                info.put(rs.getString(1), rs.getString(2));
                            });
                    System.out.printf("%,9d messages: %6.1f µs CPU a message (+ %5.1f µs compacting), %6.1f µs wall; %,7d chunks "
                                    + "%3s %% full, file %,6.0f MB, heap after a collection %,5.1f MB%n",
                            done + chunk, (cpu - cpuAtBlock) / 1e3 / block, compactionCpu.sumThenReset() / 1e3 / block,
                            (wall - wallAtBlock) / 1e3 / block,
                            Long.parseLong(info.get("info.CHUNK_COUNT")), info.get("info.CHUNKS_FILL_RATE"),
                            Long.parseLong(info.get("info.FILE_SIZE")) / 1e6, heap / 1e6);
                    cpuAtBlock = threads.getCurrentThreadCpuTime(); // the next block without this one's collection and queries
                    wallAtBlock = System.nanoTime();
                }
            }
            compacting.shutdown();
            compacting.awaitTermination(1, TimeUnit.MINUTES);
            jdbc.execute("SHUTDOWN");
        } finally {
            FileSystemUtils.deleteRecursively(dir);
        }
    }
}
