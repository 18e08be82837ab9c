package io.yibao.gateway.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * The V2 batch schema and every {@link BatchLedger} operation on H2 and a real PostgreSQL: a batch
 * recorded once per file content, the checkpointed chunk (records, duplicates and checkpoint together,
 * nothing when the checkpoint moved or a key is taken), counts and paged records.
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
        postgres = EmbeddedPostgres.builder().start();
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
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        BatchLedger ledger = new BatchLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), Clock.systemUTC());

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
                null, 3L, 4, null, null, null);
        assertThatThrownBy(() -> ledger.recordChunk(other, 4, 5,
                List.of(new BatchLedger.NewRecord("m-9", "src:A1", "A1", payload, null, 4, "line 20")), List.of()))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(ledger.find("b-1").orElseThrow().nextRecord()).as("rolled back with the insert").isEqualTo(4);

        assertThat(ledger.existingKeys("H11010500001", List.of("src:A1", "src:A2", "src:A3"))).isEqualTo(Map.of("src:A1", "m-1", "src:A2", "m-2"));
        assertThat(ledger.recordCounts("b-1")).isEqualTo(Map.of(MessageStatus.RECEIVED, 2L));
        assertThat(ledger.duplicateCount("b-1")).isEqualTo(1);
        jdbc.update("UPDATE message SET status = 'REJECTED', outcome = '{}' WHERE id = 'm-2'");
        assertThat(ledger.records("b-1", EnumSet.of(MessageStatus.REJECTED, MessageStatus.DEAD_LETTERED), 0, 10))
                .extracting(BatchLedger.RecordOutcome::recordNo, BatchLedger.RecordOutcome::location).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, "lines 8-13"));
        assertThat(ledger.duplicates("b-1", 0, 10)).containsExactly(duplicates.get(0));
        assertThat(ledger.transition("b-1", BatchStatus.SPLITTING, BatchStatus.IN_PROGRESS)).isTrue();
        assertThat(ledger.idsInStatusBefore(BatchStatus.IN_PROGRESS, java.time.Instant.now().plusSeconds(5), 10)).containsExactly("b-1");
    }
}
