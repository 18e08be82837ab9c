package io.yibao.gateway.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes a commit to an H2 ledger reach the database file before it returns. H2 keeps committed changes in
 * memory for up to {@code WRITE_DELAY} (500 ms by default) and writes them in the background, so a
 * gateway killed in that window lost rows it had already answered 202 for (found by
 * {@code GatewayCrashRecoveryIT}: after a SIGKILL right after submission, the restarted gateway had queue
 * messages for ids its ledger no longer held). {@code SET WRITE_DELAY 0} writes on every commit.
 * A bean, so it runs while the context starts, before the web server accepts and the routes consume.
 * Other databases (PostgreSQL) are left alone.
 */
@Component
public class H2CommitDurability {
    private static final Logger log = LoggerFactory.getLogger(H2CommitDurability.class);

    public H2CommitDurability(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET WRITE_DELAY 0");
            }
            log.info("H2 ledger: every commit is written to the database file before it returns (WRITE_DELAY 0)");
        }
    }
}
