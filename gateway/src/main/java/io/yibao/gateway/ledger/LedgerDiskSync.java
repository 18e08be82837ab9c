package io.yibao.gateway.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Function;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What it takes for a commit to an H2 ledger to be as durable as the 202 that follows it; the one place that asks
 * whether the ledger is H2, and the way to H2's store for those who must reach it ({@link LedgerCompaction}). PostgreSQL
 * forces its log at every commit itself ({@code synchronous_commit}); nothing is done there.
 * <ul>
 *   <li>At start, {@code SET WRITE_DELAY 0}: H2 keeps committed changes in memory for up to 500 ms by default and writes
 *   them in the background, so a gateway killed in that window lost rows it had already answered 202 for (found by
 *   {@code GatewayCrashRecoveryIT}: after a SIGKILL right after submission, the restarted gateway had queue messages for
 *   ids its ledger no longer held). With 0, every commit is written to the database file, as an MVStore chunk of its
 *   own, before it returns. A bean, so this runs while the context starts, before the web server accepts and the routes
 *   consume. It also stops the background thread in which H2 compacts its file; {@link LedgerCompaction} does that
 *   instead.</li>
 *   <li>{@link #afterCommit}: a {@code FileChannel.force} of the database file ({@link MVStore#sync}) after the commits
 *   an acknowledgement or a queue message rests on: a new message, a batch file's row, a chunk of batch records (before
 *   the chunk's ids go onto the chunk queue), a corrected message taken for replay, a dead letter set back for
 *   forwarding. A row in the file survives the gateway being killed, but H2 forces its file to the device only when it
 *   closes: after a power failure or an operating-system crash, rows already answered 202 could be gone while the
 *   broker's journal (which forces every durable send) still held their ids; a batch's records could be gone after
 *   being delivered, and split again under new ids. Ingress callers share one commit ({@link GroupCommit}) and so one
 *   force. The force alone, not H2's {@code CHECKPOINT SYNC}: that first stores whatever other transactions have changed
 *   since the last commit, an extra chunk per acknowledgement that nothing needs (the commit itself is already in the
 *   file).</li>
 *   <li>At start, {@code SET RETENTION_TIME} to {@link #RETENTION_TIME}: H2 reuses the space of a dead chunk, and
 *   compacts a sparse one, only once the chunk was written at least that long ago. Its default, 45 s, is H2's guess at
 *   how long an operating system may keep written data unforced (H2 itself never forces while open); here the file is
 *   forced at every acknowledging commit and by {@link LedgerCompaction} every run (~200 ms) once anything was written,
 *   so 5 s leaves a wide margin. What it saves: every commit writes a chunk, and the chunks alive at once are about
 *   the commits of the retention time; H2 walks all of them at each compaction round and rewrites the metadata of those
 *   a commit touched. At 45 s the gateway at 500 messages/s kept 40,000–47,000 chunks and the scans of them were
 *   two thirds of compaction's CPU (docs/benchmarks.md, round 24). Readers of old versions do not depend on it: H2
 *   keeps every version an open transaction still reads.</li>
 * </ul>
 * The H2 ledger is embedded ({@code jdbc:h2:file:}, the single node's default); a shared database is PostgreSQL. An H2
 * server is refused at start: its store is out of reach, and with it the force and the compaction. {@code SET
 * WRITE_DELAY} needs the H2 user to be an administrator (as the embedded default, {@code sa}, is): a refusal fails the
 * start instead of acknowledging what is not on the device.
 */
@Component
public final class LedgerDiskSync {
    private static final Logger log = LoggerFactory.getLogger(LedgerDiskSync.class);
    /** How long H2 keeps a chunk from its writing before its space may be reused or its pages moved (see above). */
    static final Duration RETENTION_TIME = Duration.ofSeconds(5);

    private final JdbcTemplate jdbc;
    private final boolean h2;

    public LedgerDiskSync(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.h2 = Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection -> {
            if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
                return false;
            }
            store(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET WRITE_DELAY 0");
                statement.execute("SET RETENTION_TIME " + RETENTION_TIME.toMillis());
            }
            return true;
        }));
        if (h2) {
            log.info("H2 ledger: every commit is written to the database file before it returns (WRITE_DELAY 0), "
                    + "and forced to the device before an acknowledgement; chunks retained {} s (RETENTION_TIME)",
                    RETENTION_TIME.toSeconds());
        }
    }

    /** Whether the ledger is H2 (the single node's embedded database). */
    public boolean isH2() {
        return h2;
    }

    /** Call after the commit, before the caller is answered. */
    public void afterCommit() {
        if (h2) {
            withStore(store -> {
                store.sync();
                return null;
            });
        }
    }

    /**
     * Runs {@code work} on the H2 ledger's store, holding a connection so that the database stays open meanwhile. The
     * store is looked up each time, not kept: H2 closes a database when its last connection closes, and opens a new
     * store when it is next connected to. Only for an H2 ledger.
     */
    <T> T withStore(Function<MVStore, T> work) {
        return jdbc.execute((ConnectionCallback<T>) connection -> work.apply(store(connection)));
    }

    private static MVStore store(Connection connection) throws SQLException {
        if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session) {
            return session.getDatabase().getStore().getMvStore();
        }
        throw new IllegalStateException("The H2 ledger is reached through an H2 server (" + connection.getMetaData().getURL()
                + "): an H2 ledger must be embedded (jdbc:h2:file:), a shared ledger is PostgreSQL");
    }
}
