package io.yibao.gateway.ledger;

import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What it takes for a commit to an H2 ledger to be as durable as the 202 that follows it; the one place that asks
 * whether the ledger is H2. PostgreSQL forces its log at every commit itself ({@code synchronous_commit}); nothing is
 * done there.
 * <ul>
 *   <li>At start, {@code SET WRITE_DELAY 0}: H2 keeps committed changes in memory for up to 500 ms by default and writes
 *   them in the background, so a gateway killed in that window lost rows it had already answered 202 for (found by
 *   {@code GatewayCrashRecoveryIT}: after a SIGKILL right after submission, the restarted gateway had queue messages for
 *   ids its ledger no longer held). With 0, every commit is in the database file before it returns. A bean, so this
 *   runs while the context starts, before the web server accepts and the routes consume.</li>
 *   <li>{@link #afterCommit}: {@code CHECKPOINT SYNC} (a {@code FileChannel.force} of the database file) after the
 *   commits an acknowledgement or a queue message rests on: a new message, a batch file's row, a chunk of batch records
 *   (before the chunk's ids go onto the chunk queue), a corrected message taken for replay, a dead letter set back for
 *   forwarding. A row in the file survives the gateway being killed, but H2 forces its file to the device only when it
 *   closes: after a power failure or an operating-system crash, rows already answered 202 could be gone while the
 *   broker's journal (which forces every durable send) still held their ids; a batch's records could be gone after
 *   being delivered, and split again under new ids. Ingress callers share one commit ({@link GroupCommit}) and so one
 *   force.</li>
 * </ul>
 * Needs the H2 user to be an administrator (as the embedded default, {@code sa}, is): a refusal fails the start or the
 * write instead of acknowledging what is not on the device.
 */
@Component
public final class LedgerDiskSync {
    private static final Logger log = LoggerFactory.getLogger(LedgerDiskSync.class);

    private final JdbcTemplate jdbc;
    private final boolean h2;

    public LedgerDiskSync(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.h2 = Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection -> {
            if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
                return false;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET WRITE_DELAY 0");
            }
            return true;
        }));
        if (h2) {
            log.info("H2 ledger: every commit is written to the database file before it returns (WRITE_DELAY 0), "
                    + "and forced to the device before an acknowledgement (CHECKPOINT SYNC)");
        }
    }

    /** Whether the ledger is H2 (the single node's embedded database). */
    public boolean isH2() {
        return h2;
    }

    /** Call after the commit, before the caller is answered. */
    public void afterCommit() {
        if (h2) {
            jdbc.execute("CHECKPOINT SYNC");
        }
    }
}
