package dev.sieve.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The one way Sieve writes a report table: a CSV (Commons CSV, RFC 4180, {@code \n} line ends)
 * whose column names carry their units ({@code cycles}, {@code dram_bytes}, {@code energy_pJ},
 * {@code time_us}, {@code wall_s}), every number written by {@link #format(Object)}, and the file
 * replaced atomically: rows stream into a hidden temporary sibling and {@link #close()} renames it
 * over the target, so a reader sees the old table or the whole new one, never a part.
 * {@link #abort()} leaves the target as it was.
 *
 * <pre>{@code
 * ReportWriter.stream(dir.resolve("layers.csv"), List.of("layer", "cycles", "energy_pJ"), w -> {
 *     w.row("conv1", 1200L, 3.25e6);
 * });
 * }</pre>
 *
 * {@link #stream} and {@link #write} publish the table only if every row was written; a failure
 * part-way leaves the target as it was.
 */
public final class ReportWriter implements AutoCloseable {

    /** Significant digits of a non-integral number. */
    public static final int SIGNIFICANT_DIGITS = 6;

    private static final MathContext DIGITS = new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN);

    private final Path target;
    private final Path tmp;
    private final int width;
    private final CSVPrinter printer;
    private boolean finished;

    private ReportWriter(Path target, List<String> columns) throws IOException {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one column");
        }
        this.target = target;
        this.width = columns.size();
        this.tmp = AtomicFiles.temporarySibling(target);
        BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
        try {
            this.printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                    .setHeader(columns.toArray(String[]::new)).get());
        } catch (IOException | RuntimeException e) {
            out.close();
            AtomicFiles.deleteQuietly(tmp);
            throw e;
        }
    }

    /** Starts a table at {@code target} with {@code columns}; rows follow, {@link #close()} publishes it. */
    static ReportWriter open(Path target, List<String> columns) {
        try {
            return new ReportWriter(target, columns);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target, e);
        }
    }

    /** Writes a whole table at once (atomically); if a row fails, the target stays as it was. */
    public static void write(Path target, List<String> columns, Iterable<? extends List<?>> rows) {
        stream(target, columns, w -> {
            for (List<?> r : rows) {
                w.row(r);
            }
        });
    }

    /**
     * Streams the rows {@code body} writes into a table at {@code target} and publishes it when
     * {@code body} returns; if {@code body} throws, the target stays as it was.
     */
    public static void stream(Path target, List<String> columns, Consumer<ReportWriter> body) {
        ReportWriter w = open(target, columns);
        try {
            body.accept(w);
        } catch (RuntimeException | Error e) {
            w.abort();
            throw e;
        }
        w.close();
    }

    /** Appends one row; its values line up with the columns and are formatted by {@link #format(Object)}. */
    public void row(Object... values) {
        row(Arrays.asList(values));
    }

    /** Appends one row; its values line up with the columns and are formatted by {@link #format(Object)}. */
    public void row(List<?> values) {
        if (values.size() != width) {
            throw new IllegalArgumentException("a row of " + target.getFileName() + " has " + values.size()
                    + " values for " + width + " columns");
        }
        try {
            for (Object v : values) {
                printer.print(format(v));
            }
            printer.println();
        } catch (IOException e) {
            abort();
            throw new UncheckedIOException("could not write " + target, e);
        }
    }

    /** Publishes the table: flushes the rows and renames the temporary file over the target. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            printer.close(true);
            AtomicFiles.publish(tmp, target);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw new UncheckedIOException("could not write " + target, e);
        }
    }

    /** Drops the rows written so far; the target stays as it was. */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            printer.close();
        } catch (IOException ignored) {
            // the temporary file is deleted below either way
        }
        AtomicFiles.deleteQuietly(tmp);
    }

    /**
     * The one number format of every report: integers (and integral doubles) exactly, other finite
     * numbers rounded half-even to {@value #SIGNIFICANT_DIGITS} significant digits, never inside their
     * integer part, in plain notation without trailing zeros ({@code 2.03125}, {@code 0.000123457},
     * {@code 1234567}): a printed value is never off by more than half its last printed digit; NaN and
     * infinities as {@code NaN}, {@code inf}, {@code -inf}; null as an empty cell; anything else by
     * {@code toString()}.
     */
    public static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double || value instanceof Float) {
            return format(((Number) value).doubleValue());
        }
        return value.toString();
    }

    /** {@link #format(Object)} for a double. */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        BigDecimal d = new BigDecimal(v);
        int integerDigits = d.precision() - d.scale();
        d = integerDigits >= SIGNIFICANT_DIGITS ? d.setScale(0, RoundingMode.HALF_EVEN) : d.round(DIGITS);
        d = d.stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
