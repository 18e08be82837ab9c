package io.yibao.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

class LedgerDiskSyncTest {
    @TempDir
    Path dir;

    /**
     * A commit is stored as it returns (a chunk of its own); the force after it writes no chunk, even when another
     * transaction has changed the database since, without committing (H2's CHECKPOINT SYNC would store those changes as
     * a chunk of their own before forcing).
     */
    @Test
    void theForceAfterACommitWritesNoChunkOfItsOwn() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("ledger") + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        LedgerDiskSync diskSync = new LedgerDiskSync(jdbc);
        jdbc.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))");

        try (Connection other = h2.getConnection(); Statement open = other.createStatement()) {
            other.setAutoCommit(false);
            long beforeCommit = chunksWritten(jdbc);
            jdbc.update("INSERT INTO t VALUES (1, 'acknowledged')");
            long afterCommit = chunksWritten(jdbc);
            open.executeUpdate("INSERT INTO t VALUES (2, 'not yet committed')");

            diskSync.afterCommit();

            assertThat(afterCommit).as("WRITE_DELAY 0: the commit is stored as it returns").isGreaterThan(beforeCommit);
            assertThat(chunksWritten(jdbc)).as("chunks after the force").isEqualTo(afterCommit);
            other.rollback();
        }
    }

    @Test
    void anH2ServerIsRefused() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        try {
            JdbcDataSource remote = new JdbcDataSource();
            remote.setURL("jdbc:h2:tcp://localhost:" + server.getPort() + "/ledger");
            remote.setUser("sa");
            assertThatThrownBy(() -> new LedgerDiskSync(new JdbcTemplate(remote)))
                    .hasMessageContaining("an H2 ledger must be embedded");
        } finally {
            server.stop();
        }
    }

    /** The store's version, raised by every chunk written. */
    private static long chunksWritten(JdbcTemplate jdbc) {
        return jdbc.execute((ConnectionCallback<Long>) connection ->
                ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore()
                        .getCurrentVersion());
    }
}
