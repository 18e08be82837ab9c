package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2 the signed canonical message becomes a CLOB, stored outside the row. H2 2.x reads {@code TEXT} as
 * {@code CHARACTER VARYING}, kept inside the row, and rewrites a whole B-tree leaf, every row in it re-encoded
 * character by character, at each commit that touches one of its rows: with the canonical form (~7 KB per message)
 * inside, re-encoding strings was ~10 % of the gateway's CPU samples at its maximum rate and the ledger file grew by
 * ~55 KB per message (docs/benchmarks.md). A CLOB over 256 bytes is written once into H2's LOB store; the row keeps
 * a reference. PostgreSQL already stores a {@code TEXT} value over ~2 KB outside the row (TOAST): nothing changes
 * there. Java rather than SQL because the statement exists only in H2's dialect.
 */
public class V6__canonical_out_of_row_on_h2 extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        if (!"H2".equals(context.getConnection().getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("ALTER TABLE message ALTER COLUMN canonical SET DATA TYPE CHARACTER LARGE OBJECT");
        }
    }
}
