package io.yibao.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.gateway.batch.BatchRecordCounts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The H2 ledger's chunks die when {@link LedgerCompaction} runs: messages written as the inbox consumer writes them
 * (three commits a chunk of 10, each an MVStore chunk of its own) leave nearly every chunk partly live, and compaction
 * moves the live pages so that the chunks can be reused, without changing what the ledger holds. H2's retention time is
 * set to 0 here so that chunks may be rewritten at once (the gateway's is {@link LedgerDiskSync#RETENTION_TIME}). And a
 * run forces the file once anything was written since the last, which that retention time rests on.
 */
class LedgerCompactionTest {
    @TempDir
    Path dir;

    @Test
    void compactionLeavesFewerChunksAndTheSameMessages() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("ledger") + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        LedgerDiskSync diskSync = new LedgerDiskSync(jdbc);
        MessageLedger ledger = new MessageLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(h2)), Clock.systemUTC(),
                new BatchRecordCounts(jdbc, Clock.systemUTC()), diskSync);
        jdbc.execute("SET RETENTION_TIME 0");
        LedgerCompaction compaction = new LedgerCompaction(diskSync);

        List<String> ids = new ArrayList<>();
        for (int chunk = 0; chunk < 40; chunk++) {
            Timestamp now = new Timestamp(System.currentTimeMillis());
            List<Object[]> rows = new ArrayList<>();
            List<String> chunkIds = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String id = LedgerIds.next();
                chunkIds.add(id);
                rows.add(new Object[] {id, "H11010500001", "hospital-hl7v2", "src:" + id, id, MessageStatus.RECEIVED.name(),
                        ("MSH|" + id).getBytes(StandardCharsets.UTF_8), null, now, now});
            }
            jdbc.batchUpdate(MessageLedger.INSERT_RECEIVED, rows);
            diskSync.afterCommit();
            ledger.recordProcessed(chunkIds.stream().map(id -> new MessageLedger.Processed(id, MessageStatus.SIGNED, "2401", null,
                    signed(id), null)).toList());
            Map<String, String> receipts = new LinkedHashMap<>();
            chunkIds.forEach(id -> receipts.put(id, "{\"receipt\":\"" + id + "\"}"));
            ledger.recordDelivered(receipts);
            ids.addAll(chunkIds);
        }
        long before = chunks(jdbc);

        for (int run = 0; run < 200 && compaction.compact(); run++) {
            // until the chunks are as live as compaction aims for
        }
        jdbc.execute("CHECKPOINT"); // a store after the last run, which drops the chunks it emptied

        assertThat(before).as("chunks before compaction").isGreaterThan(100);
        assertThat(chunks(jdbc)).as("chunks after compaction").isLessThan(before / 4);
        for (String id : ids) {
            LedgerEntry entry = ledger.find(id).orElseThrow();
            assertThat(entry.status()).isEqualTo(MessageStatus.DELIVERED);
            assertThat(entry.canonical()).isEqualTo(signed(id));
            assertThat(entry.receipt()).isEqualTo("{\"receipt\":\"" + id + "\"}");
        }
    }

    @Test
    void aRunForcesTheFileWhenAnythingWasWrittenSinceTheLastRun() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(ForceCountingFilePath.url(dir.resolve("forced")) + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        LedgerCompaction compaction = new LedgerCompaction(new LedgerDiskSync(jdbc));
        jdbc.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        compaction.compact();

        long afterFirstRun = ForceCountingFilePath.forces();
        compaction.compact();
        long afterIdleRun = ForceCountingFilePath.forces();
        jdbc.update("INSERT INTO t VALUES (1)"); // a commit that forces nothing itself, as a pipeline step's
        compaction.compact();

        assertThat(afterIdleRun).as("forces of a run after which nothing was written").isEqualTo(afterFirstRun);
        assertThat(ForceCountingFilePath.forces()).as("forces of a run after a commit").isEqualTo(afterIdleRun + 1);
    }

    /** A signed canonical message's stand-in: a few KB, so that H2 keeps it as a LOB, as it keeps the real ones. */
    private static String signed(String id) {
        return "{\"resourceType\":\"Bundle\",\"id\":\"" + id + "\",\"text\":\"" + "x".repeat(3_000) + "\"}";
    }

    private static long chunks(JdbcTemplate jdbc) {
        return Long.parseLong(jdbc.queryForObject("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?",
                String.class, "info.CHUNK_COUNT"));
    }
}
