package io.yibao.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress shown for large batch files: a bar redrawn in place on a terminal, a periodic line otherwise. */
class BatchProgressTest {
    private final StringWriter err = new StringWriter();
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void plainLineEveryFiveSecondsWithDoneTotalPercentAndRate() {
        BatchProgress progress = new BatchProgress(new PrintWriter(err), BatchProgress.Style.PLAIN, "big.csv", 100_000, nanos::get);

        nanos.set(4_000_000_000L);
        progress.recordDone(40_000);
        assertThat(err.toString()).isEmpty();
        nanos.set(5_000_000_000L);
        progress.recordDone(50_000);
        progress.finish(100_000);

        assertThat(err.toString()).isEqualTo("progress: big.csv 50,000/100,000 records (50%), 10,000 records/s\n"
                + "progress: big.csv 100,000/100,000 records (100%), 20,000 records/s\n");
    }

    @Test
    void barIsRedrawnOnOneLine() {
        BatchProgress progress = new BatchProgress(new PrintWriter(err), BatchProgress.Style.BAR, "big.csv", 30_000, nanos::get);

        nanos.set(1_000_000_000L);
        progress.recordDone(15_000);
        nanos.set(2_000_000_000L);
        progress.finish(30_000);

        assertThat(err.toString()).isEqualTo("\rbig.csv [###############...............] 15,000/30,000 records  50% 15,000 records/s"
                + "\rbig.csv [##############################] 30,000/30,000 records 100% 15,000 records/s\n");
    }

    @Test
    void theFinalStateIsNotShownTwice() {
        BatchProgress progress = new BatchProgress(new PrintWriter(err), BatchProgress.Style.PLAIN, "big.csv", 30_000, nanos::get);

        nanos.set(5_000_000_000L);
        progress.recordDone(30_000);
        nanos.set(6_000_000_000L);
        progress.finish(30_000);

        assertThat(err.toString()).isEqualTo("progress: big.csv 30,000/30,000 records (100%), 6,000 records/s\n");
    }

    @Test
    void noneShowsNothing() {
        BatchProgress progress = new BatchProgress(new PrintWriter(err), BatchProgress.Style.NONE, "big.csv", 30_000, nanos::get);
        nanos.set(10_000_000_000L);
        progress.recordDone(30_000);
        progress.finish(30_000);

        assertThat(err.toString()).isEmpty();
    }
}
