package io.yibao.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.yibao.gateway.batch.BatchRecordCounts;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A message outside any batch pays nothing for the batch record counters when its status changes on its own (a dead
 * letter, one sent again, a delivery through the outbox): each change is one UPDATE in its own commit, with no
 * explicit transaction and no read of the row (those are for batch records only; their counting is pinned by
 * {@code BatchLedgerOnH2AndPostgresTest}). Results of processing are written a chunk at a time, in one transaction
 * for the chunk. The statements are recorded on the way to a real H2 ledger.
 */
class SingleMessageStatusChangeIsOneStatementTest {
    @TempDir
    Path dir;

    @Test
    void eachStatusChangeOfASingleMessageIsOneUpdateWithoutATransaction() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("ledger") + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        StatementRecorder recorder = new StatementRecorder(h2);
        JdbcTemplate jdbc = new JdbcTemplate(recorder);
        MessageLedger ledger = new MessageLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(recorder)), Clock.systemUTC(),
                new BatchRecordCounts(jdbc, Clock.systemUTC()), new LedgerDiskSync(jdbc));
        ledger.recordIfNew("s-1", "H11010500001", "hospital-hl7v2", "src:S1", "S1", "MSH|".getBytes(StandardCharsets.UTF_8), null);

        ledger.recordProcessed(List.of(new MessageLedger.Processed("s-1", MessageStatus.SIGNED, "2401", null, "{}", null)));

        for (Runnable change : List.<Runnable>of(
                () -> ledger.recordStatus("s-1", MessageStatus.DEAD_LETTERED, "{}"),
                () -> assertThat(ledger.resetForForwarding("s-1")).isTrue(),
                () -> ledger.recordDelivered("s-1", "receipt"))) {
            recorder.events.clear();
            change.run();
            assertThat(recorder.events).hasSize(1).allMatch(sql -> sql.startsWith("UPDATE message SET status"));
        }
        assertThat(ledger.find("s-1").orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
    }

    /** Passes every call to the real database and notes the statements prepared and the transactions begun. */
    private static final class StatementRecorder extends DelegatingDataSource {
        final List<String> events = new CopyOnWriteArrayList<>();

        StatementRecorder(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws java.sql.SQLException {
            Connection connection = super.getConnection();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                if (method.getName().startsWith("prepare")) {
                    events.add((String) args[0]);
                } else if (method.getName().equals("setAutoCommit") && Boolean.FALSE.equals(args[0])) {
                    events.add("BEGIN");
                }
                try {
                    return method.invoke(connection, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }
    }
}
