package io.yibao.gateway.ledger;

import java.time.Duration;
import org.h2.mvstore.MVStore;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * H2's compaction of the ledger file, which {@code WRITE_DELAY 0} ({@link LedgerDiskSync}) switches off: H2 runs it in
 * the background thread that writes delayed commits, and with no delay there is no such thread. Every commit writes a
 * new MVStore chunk, and a copy-on-write B-tree leaves a few live pages (the last version of an index leaf, a row, a
 * LOB) in nearly every chunk; a chunk's space is reused, and its metadata leaves the heap, only once all of it is dead.
 * Without compaction the chunks never died: at 500 messages/s ~430 a second, ~0.4 GB of heap and ~100 GB of file an
 * hour; with it they level off (docs/benchmarks.md, "The ledger as it ages", rounds 23–24).
 *
 * <p>So, every {@link #INTERVAL}, this asks H2 to do what its housekeeping does ({@link MVStore#compact}): while the
 * chunks are on average less than {@link #TARGET_FILL_RATE} % live, the live pages of the emptiest chunks older than
 * the retention time ({@link LedgerDiskSync#RETENTION_TIME}), {@link #WRITE_LIMIT} bytes a round, are written again
 * with a commit of this thread, and the chunks left empty are reused; rounds go on for at most {@link #BUDGET} a run.
 * Nothing changes for durability: compaction moves data that is already committed, under H2's store lock, as its own
 * background thread does. Each run ends with a force of the file if anything was written since the last one, so that
 * nothing older than a run stays unforced ({@link LedgerDiskSync}, retention time). Its cost: 8 % of the gateway's CPU
 * samples at 500 messages/s with H2's 45-second retention time (round 23), two thirds of it walking the chunks. A
 * PostgreSQL ledger is left alone.
 */
@Component
public class LedgerCompaction implements SchedulingConfigurer {
    /** How often: about H2's own housekeeping period at its default write delay. */
    static final Duration INTERVAL = Duration.ofMillis(200);
    /** Compact while the chunks are on average less live than this, in per cent. */
    static final int TARGET_FILL_RATE = 80;
    /** Live data rewritten per round at most, in bytes. */
    static final int WRITE_LIMIT = 1 << 20;
    /** Rounds of a run go on while there is work, up to this long: at most a quarter of one core. */
    static final Duration BUDGET = Duration.ofMillis(50);

    private final LedgerDiskSync ledger;
    /** The store's version at the last run's force; runs are never concurrent (one scheduled task, fixed delay). */
    private long forcedVersion = -1;

    public LedgerCompaction(LedgerDiskSync ledger) {
        this.ledger = ledger;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        if (ledger.isH2()) {
            tasks.addFixedDelayTask(new FixedDelayTask(this::compact, INTERVAL, INTERVAL));
        }
    }

    /**
     * One run: rounds of {@link #WRITE_LIMIT} while there is work, for at most {@link #BUDGET}; then, if anything was
     * written since the last run's force (by anyone), a force of the file ({@link MVStore#sync}), which is what lets H2
     * reuse a chunk's space after {@link LedgerDiskSync#RETENTION_TIME} rather than its 45 s.
     *
     * @return whether any chunk was rewritten
     */
    boolean compact() {
        return ledger.withStore(store -> {
            long deadline = System.nanoTime() + BUDGET.toNanos();
            boolean rewritten = false;
            while (!store.isClosed() && store.compact(TARGET_FILL_RATE, WRITE_LIMIT)) {
                store.commit();
                rewritten = true;
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
            long version = store.getCurrentVersion();
            if (version != forcedVersion && !store.isClosed()) {
                store.sync();
                forcedVersion = version;
            }
            return rewritten;
        });
    }
}
