package io.yibao.gateway.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.yibao.gateway.ledger.LedgerDiskSync;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What an H2 ledger holds on disk and in memory, for Prometheus (H2 only; PostgreSQL has its own monitoring):
 * <ul>
 *   <li>{@code yibao_ledger_file_bytes}: the size of the database file, which grows by ~24–27 KB per message kept
 *       (docs/architecture.md, "Ledger retention"); space freed inside it is reused, never returned.</li>
 *   <li>{@code yibao_ledger_chunks}: the MVStore chunks of the file. H2 keeps the metadata of each in the heap
 *       (~0.25 KB) and every commit writes one; they die when all their pages do, which {@link
 *       io.yibao.gateway.ledger.LedgerCompaction} brings about: a number that levels off under steady load (without
 *       compaction it grew with every message written; docs/benchmarks.md, "The ledger as it ages").</li>
 * </ul>
 * Read from H2's {@code INFORMATION_SCHEMA.SETTINGS} at each scrape.
 */
@Component
public class LedgerFileMetrics implements MeterBinder {
    private final JdbcTemplate jdbc;
    private final LedgerDiskSync ledger;

    public LedgerFileMetrics(JdbcTemplate jdbc, LedgerDiskSync ledger) {
        this.jdbc = jdbc;
        this.ledger = ledger;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        if (!ledger.isH2()) {
            return;
        }
        Gauge.builder("yibao.ledger.file", this, metrics -> metrics.setting("info.FILE_SIZE"))
                .description("Size of the H2 ledger's database file")
                .baseUnit("bytes")
                .register(meters);
        Gauge.builder("yibao.ledger.chunks", this, metrics -> metrics.setting("info.CHUNK_COUNT"))
                .description("MVStore chunks of the H2 ledger's file; H2 keeps each one's metadata in the heap")
                .register(meters);
    }

    /** An H2 figure of the open database; NaN if it cannot be read (the database closing). */
    private double setting(String name) {
        try {
            String value = jdbc.queryForObject("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?",
                    String.class, name);
            return value == null ? Double.NaN : Double.parseDouble(value);
        } catch (DataAccessException | NumberFormatException unreadable) {
            return Double.NaN;
        }
    }
}
