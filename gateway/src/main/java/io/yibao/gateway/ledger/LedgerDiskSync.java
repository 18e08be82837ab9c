package io.yibao.gateway.ledger;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Forces an H2 ledger's committed rows onto the device (H2's {@code CHECKPOINT SYNC}, a {@code FileChannel.force} of the
 * database file) after the commits a sender's acknowledgement rests on: a new message, a batch file's row, a corrected
 * message taken for replay. With {@code WRITE_DELAY 0} ({@link H2CommitDurability}) H2 writes every commit to the file,
 * which survives the gateway being killed, but it forces the file to the device only when it closes: after a power
 * failure or an operating-system crash, rows already answered 202 could be gone while the broker's journal (which
 * forces every durable send) still held their ids. Ingress callers share one commit ({@link GroupCommit}) and so one
 * force. PostgreSQL forces its log at every commit itself ({@code synchronous_commit}); nothing is done there. Needs
 * the H2 user to be an administrator (as the embedded default, {@code sa}, is): a refusal fails the write instead of
 * acknowledging what is not on the device.
 */
public final class LedgerDiskSync {
    private final JdbcTemplate jdbc;
    private final boolean h2;

    public LedgerDiskSync(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.h2 = "H2".equals(jdbc.execute((ConnectionCallback<String>) connection -> connection.getMetaData().getDatabaseProductName()));
    }

    /** Call after the commit, before the caller is answered. */
    public void afterCommit() {
        if (h2) {
            jdbc.execute("CHECKPOINT SYNC");
        }
    }
}
