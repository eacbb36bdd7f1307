package dev.sieve.io;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one progress display of every long command (the {@code progressbar} library, drawn in
 * ASCII): {@code TASK  45% [#############.................] 423/938 steps (0:00:12 / 0:00:15) 35 steps/s MESSAGE}.
 * It goes to the stream it is given, which is stderr, never stdout that scripts parse. On a
 * terminal it is redrawn in place a few times a second and erased when the task closes; otherwise
 * (a log file, a pipe) it is a plain line when the task starts, every {@value #LOG_INTERVAL_MS} ms
 * while it advances, and when it closes.
 *
 * <pre>{@code
 * try (Progress p = Progress.start(System.err, "epoch 1/3", steps, "steps")) {
 *     for (...) { ...; p.step(); p.message("loss 0.4321"); }
 * }
 * }</pre>
 */
public final class Progress implements AutoCloseable {

    /** Redraw period on a terminal. */
    static final int TERMINAL_INTERVAL_MS = 200;
    /** Period of the plain lines written when the stream is not a terminal. */
    static final int LOG_INTERVAL_MS = 5_000;
    /** Width of a plain line. */
    static final int LOG_WIDTH = 110;

    private static final ProgressBarStyle STYLE = ProgressBarStyle.builder().leftBracket("[").rightBracket("]")
            .delimitingSequence("").block('#').space('.').fractionSymbols("#").rightSideFractionSymbol('.').build();

    private final ProgressBar bar;
    private final ProgressBarConsumer display;

    private Progress(ProgressBar bar, ProgressBarConsumer display) {
        this.bar = bar;
        this.display = display;
    }

    /** A display that shows nothing (for {@code --no-progress} or when there is no stream). */
    public static Progress none() {
        return new Progress(null, null);
    }

    /**
     * Starts a display of {@code task} with {@code total} units on {@code out} (nothing when
     * {@code out} is null), redrawn in place when this process runs on a terminal.
     */
    public static Progress start(PrintStream out, String task, long total, String unit) {
        return start(out, task, total, 0, unit);
    }

    /**
     * Starts a display whose first {@code done} units were done before (for example points a resumed
     * sweep finds finished): they count toward the bar, not toward the rate.
     */
    public static Progress start(PrintStream out, String task, long total, long done, String unit) {
        return start(out, task, total, done, unit, System.console() != null);
    }

    /** {@link #start(PrintStream, String, long, long, String)} with the terminal question answered. */
    public static Progress start(PrintStream out, String task, long total, long done, String unit, boolean terminal) {
        if (out == null) {
            return none();
        }
        DecimalFormat rate = new DecimalFormat("0.#", DecimalFormatSymbols.getInstance(Locale.ROOT));
        ProgressBarConsumer display = terminal ? new InPlace(out) : new Lines(out);
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(STYLE)
                .setUnit(" " + unit, 1).showSpeed(rate).startsFrom(done, Duration.ZERO)
                .setUpdateIntervalMillis(terminal ? TERMINAL_INTERVAL_MS : LOG_INTERVAL_MS).setConsumer(display);
        return new Progress(b.build(), display);
    }

    /** Advances by one unit. */
    public void step() {
        if (bar != null) {
            bar.step();
        }
    }

    /** Sets the units done so far. */
    public void stepTo(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    /**
     * Sets the units of the whole task, for a total known only roughly at the start (an estimate
     * of simulated operations) and corrected as the work shows it.
     */
    public void total(long total) {
        if (bar != null) {
            bar.maxHint(total);
        }
    }

    /** Sets the text shown after the figures (for example a running loss). */
    public void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(" " + text);
        }
    }

    /** Draws the last state (as a line when not on a terminal; erased on a terminal) and stops. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            display.close(); // the library skips it when the task closes before its first drawing
        }
    }

    /** On a terminal: redrawn after a carriage return, as wide as the terminal; erased at the end. */
    private static final class InPlace extends ConsoleProgressBarConsumer {
        private final PrintStream out;
        private boolean closed;

        InPlace(PrintStream out) {
            super(out);
            this.out = out;
        }

        @Override
        public void accept(String rendered) {
            super.accept(rendered);
            out.flush();
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                out.print("\r" + " ".repeat(getMaxRenderedLength()) + "\r");
                out.flush();
            }
        }
    }

    /** Not on a terminal: each drawing is one line (the library draws the last state twice; once here). */
    private static final class Lines implements ProgressBarConsumer {
        private final PrintStream out;
        private String last;

        Lines(PrintStream out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return LOG_WIDTH;
        }

        @Override
        public synchronized void accept(String rendered) {
            String line = rendered.stripTrailing();
            if (!line.equals(last)) {
                last = line;
                out.println(line);
                out.flush();
            }
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
