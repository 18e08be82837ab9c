package io.yibao.cli;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * Shows how far a large batch file has got on stderr: records done of the total {@code check} counted, percent and
 * rate. On a terminal a bar redrawn in place (at most ten times a second); otherwise a plain line every few seconds,
 * so that logs of a CI job or a redirected run stay readable.
 */
final class BatchProgress {
    /** How the progress is shown. */
    enum Style { BAR, PLAIN, NONE }

    /** What a command's {@code --progress} option asks for. */
    enum Choice { auto, bar, plain, none }

    /** Below this many records no progress is shown in {@code auto} mode. */
    static final long AUTO_THRESHOLD = 10_000;

    /** The style for a choice and a file of this many records. */
    static Style style(Choice choice, long records) {
        return switch (choice) {
            case none -> Style.NONE;
            case bar -> Style.BAR;
            case plain -> Style.PLAIN;
            // Java 17 cannot ask whether stderr alone is a terminal; a console means the run is interactive.
            case auto -> records < AUTO_THRESHOLD ? Style.NONE : System.console() != null ? Style.BAR : Style.PLAIN;
        };
    }

    private static final long BAR_INTERVAL_NANOS = 100_000_000L;
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final Style style;
    private final String file;
    private final long total;
    private final LongSupplier nanoTime;
    private final long started;
    private long lastShown;
    private boolean shownAny;
    private long lastDoneShown = -1;

    BatchProgress(PrintWriter err, Style style, String file, long total, LongSupplier nanoTime) {
        this.err = err;
        this.style = style;
        this.file = file;
        this.total = total;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
        this.lastShown = started;
    }

    /** Called after each record; draws when the interval of the style has passed. */
    void recordDone(long done) {
        if (style == Style.NONE) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - lastShown < (style == Style.BAR ? BAR_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS)) {
            return;
        }
        lastShown = now;
        show(done, now);
    }

    /** The final state (unless it is what was shown last), and on a terminal the end of the bar's line. */
    void finish(long done) {
        if (style == Style.NONE || !shownAny) {
            return;
        }
        if (done != lastDoneShown) {
            show(done, nanoTime.getAsLong());
        }
        if (style == Style.BAR) {
            err.println();
        }
        err.flush();
    }

    private void show(long done, long now) {
        shownAny = true;
        lastDoneShown = done;
        double seconds = Math.max((now - started) / 1e9, 1e-9);
        long rate = Math.round(done / seconds);
        int percent = total > 0 ? (int) Math.min(100, done * 100 / total) : 0;
        if (style == Style.BAR) {
            int filled = total > 0 ? (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total) : 0;
            err.printf("\r%s [%s%s] %,d/%,d records %3d%% %,d records/s", file, "#".repeat(filled), ".".repeat(BAR_WIDTH - filled),
                    done, total, percent, rate);
        } else {
            err.printf("progress: %s %,d/%,d records (%d%%), %,d records/s%n", file, done, total, percent, rate);
        }
        err.flush();
    }
}
