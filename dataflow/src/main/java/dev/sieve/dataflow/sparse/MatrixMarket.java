package dev.sieve.dataflow.sparse;

import dev.sieve.io.AtomicFiles;
import dev.sieve.io.InputFiles;
import dev.sieve.io.Sizes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reader and writer for the Matrix Market exchange format (NIST; the format of the SuiteSparse
 * collection), coordinate layout only. Fields {@code real}, {@code integer} and {@code pattern}
 * (pattern entries read as 1); symmetries {@code general}, {@code symmetric} and
 * {@code skew-symmetric}. A symmetric file stores the lower triangle (row >= column): each
 * off-diagonal entry is mirrored when reading, negated for skew-symmetric. Repeated entries sum
 * (as SuiteSparse's tools do). Files are read through {@link InputFiles}: UTF-8 (comments may hold
 * any text; a byte-order mark is dropped), LF or CRLF, {@code %} comment lines and blank lines
 * skipped. The size line is checked against the file's length and the heap before anything is
 * allocated. Every error names the file and the one-based line.
 */
public final class MatrixMarket {
    private MatrixMarket() {
    }

    /** The value field of a file. */
    public enum Field { REAL, INTEGER, PATTERN }

    /** The symmetry of a file. */
    public enum Symmetry { GENERAL, SYMMETRIC, SKEW_SYMMETRIC }

    /** What a file held: the expanded matrix and how it was stored. */
    public record Read(Coo matrix, Field field, Symmetry symmetry, int storedEntries) {
    }

    /** Reads {@code file} into triples (symmetric storage expanded). */
    public static Coo read(Path file) {
        return readWithHeader(file).matrix();
    }

    /**
     * Bytes of the model's state per row or column of a matrix (CSR pointers, per-row products and
     * buckets), checked against the heap before a file's shape is trusted.
     */
    public static final int BYTES_PER_ROW = 64;

    /** Bytes of one stored entry while reading (row, column, value). */
    public static final int BYTES_PER_ENTRY = 16;

    /** Reads {@code file} and reports its field and symmetry beside the expanded matrix. */
    public static Read readWithHeader(Path file) {
        try (InputFiles.TextReader in = InputFiles.open(file)) {
            return parse(file, in, true);
        }
    }

    /**
     * As {@link #readWithHeader}, but the shape is not checked against the heap, only the entries:
     * for a caller that never allocates per row of the full shape (a hypersparse matrix, far more
     * rows than entries, is then read in memory proportional to its entries).
     */
    public static Read readEntries(Path file) {
        try (InputFiles.TextReader in = InputFiles.open(file)) {
            return parse(file, in, false);
        }
    }

    private static Read parse(Path file, InputFiles.TextReader in, boolean checkShape) {
        String banner = in.next();
        if (banner == null) {
            throw new MatrixMarketException(file, 1, "empty file; expected the banner "
                    + "'%%MatrixMarket matrix coordinate real|integer|pattern general|symmetric|skew-symmetric'");
        }
        String[] b = banner.trim().split("\\s+");
        if (b.length != 5 || !b[0].equalsIgnoreCase("%%MatrixMarket") || !b[1].equalsIgnoreCase("matrix")) {
            throw new MatrixMarketException(file, 1, "bad banner '" + clip(banner) + "'; expected "
                    + "'%%MatrixMarket matrix coordinate <field> <symmetry>'");
        }
        if (!b[2].equalsIgnoreCase("coordinate")) {
            throw new MatrixMarketException(file, 1, "format '" + b[2] + "' is not supported; allowed: coordinate");
        }
        Field field = switch (b[3].toLowerCase(Locale.ROOT)) {
            case "real" -> Field.REAL;
            case "integer" -> Field.INTEGER;
            case "pattern" -> Field.PATTERN;
            default -> throw new MatrixMarketException(file, 1, "field '" + b[3]
                    + "' is not supported; allowed: real, integer, pattern");
        };
        Symmetry sym = switch (b[4].toLowerCase(Locale.ROOT)) {
            case "general" -> Symmetry.GENERAL;
            case "symmetric" -> Symmetry.SYMMETRIC;
            case "skew-symmetric" -> Symmetry.SKEW_SYMMETRIC;
            default -> throw new MatrixMarketException(file, 1, "symmetry '" + b[4]
                    + "' is not supported; allowed: general, symmetric, skew-symmetric");
        };
        String line;
        do {
            line = in.next();
            if (line == null) {
                throw new MatrixMarketException(file, in.line() + 1, "file ends before the size line 'rows cols entries'");
            }
        } while (line.isBlank() || line.startsWith("%"));
        String[] size = line.trim().split("\\s+");
        if (size.length != 3) {
            throw new MatrixMarketException(file, in.line(), "size line '" + clip(line)
                    + "' must hold three integers: rows cols entries");
        }
        long rows = parseCount(file, in.line(), size[0], "rows");
        long cols = parseCount(file, in.line(), size[1], "cols");
        long stored = parseCount(file, in.line(), size[2], "entries");
        if (rows > Integer.MAX_VALUE - 1 || cols > Integer.MAX_VALUE - 1) {
            throw new MatrixMarketException(file, in.line(), "shape " + rows + " x " + cols
                    + " is too large; allowed up to 2147483646 x 2147483646");
        }
        if (sym != Symmetry.GENERAL && rows != cols) {
            throw new MatrixMarketException(file, in.line(), b[4] + " matrix must be square, got " + rows + " x " + cols);
        }
        if (stored > 1_000_000_000L) {
            throw new MatrixMarketException(file, in.line(), "entries = " + stored
                    + " is out of range; allowed 0 .. 1000000000");
        }
        // what the header declares is checked before anything is allocated: every entry takes at
        // least 3 bytes of the file ("i j" and a line end but the last), and the shape and the
        // entries must fit the heap
        long fileBytes = InputFiles.size(file);
        long expanded = sym == Symmetry.GENERAL ? stored : 2 * stored;
        if (stored > (fileBytes + 1) / 3) {
            throw new MatrixMarketException(file, in.line(), "entries = " + stored + " cannot fit in the file's "
                    + fileBytes + " bytes; allowed up to " + (fileBytes + 1) / 3 + String.format(Locale.ROOT,
                    " (reading %d entries would need %.1f MiB of memory)", expanded,
                    (double) expanded * 3 * BYTES_PER_ENTRY / (1 << 20)));
        }
        if (checkShape) {
            Sizes.requireHeap(file, in.line(), "rows", rows + 1, BYTES_PER_ROW);
            Sizes.requireHeap(file, in.line(), "cols", cols + 1, BYTES_PER_ROW);
        }
        Sizes.requireHeap(file, in.line(), "entries", expanded, 3 * BYTES_PER_ENTRY);   // read, then CSR and a copy
        int cap = (int) Math.min(expanded, 1 << 16);
        int[] r = new int[cap];
        int[] c = new int[cap];
        double[] v = new double[cap];
        int n = 0;
        int want = field == Field.PATTERN ? 2 : 3;
        long seen = 0;
        while ((line = in.next()) != null) {
            if (line.isBlank() || line.startsWith("%")) {
                continue;
            }
            if (seen == stored) {
                throw new MatrixMarketException(file, in.line(), "more entries than the " + stored
                        + " declared on the size line");
            }
            String[] t = line.trim().split("\\s+");
            if (t.length != want) {
                throw new MatrixMarketException(file, in.line(), "entry '" + clip(line) + "' has " + t.length
                        + " fields; a " + field.name().toLowerCase(Locale.ROOT) + " entry has " + want
                        + (want == 2 ? " (row col)" : " (row col value)"));
            }
            long i = parseIndex(file, in.line(), t[0], "row", rows);
            long j = parseIndex(file, in.line(), t[1], "column", cols);
            double x = 1.0;
            if (field == Field.REAL) {
                x = parseReal(file, in.line(), t[2]);
            } else if (field == Field.INTEGER) {
                x = parseInteger(file, in.line(), t[2]);
            }
            if (sym != Symmetry.GENERAL && j > i) {
                throw new MatrixMarketException(file, in.line(), "entry (" + i + ", " + j + ") lies above the diagonal;"
                        + " a " + b[4] + " file stores only the lower triangle (row >= column)");
            }
            if (sym == Symmetry.SKEW_SYMMETRIC && i == j) {
                throw new MatrixMarketException(file, in.line(), "entry (" + i + ", " + j + ") is on the diagonal of a"
                        + " skew-symmetric matrix, which must be zero there");
            }
            if (n + 2 > r.length) {   // grow as entries arrive, up to what the header declared
                int grown = (int) Math.min(expanded, 2L * r.length + 2);
                r = Arrays.copyOf(r, grown);
                c = Arrays.copyOf(c, grown);
                v = Arrays.copyOf(v, grown);
            }
            r[n] = (int) i - 1;
            c[n] = (int) j - 1;
            v[n] = x;
            n++;
            if (sym != Symmetry.GENERAL && i != j) {
                r[n] = (int) j - 1;
                c[n] = (int) i - 1;
                v[n] = sym == Symmetry.SKEW_SYMMETRIC ? -x : x;
                n++;
            }
            seen++;
        }
        if (seen != stored) {
            throw new MatrixMarketException(file, in.line() + 1, "file ends after " + seen + " entries; the size line"
                    + " declares " + stored);
        }
        Coo m = new Coo((int) rows, (int) cols, Arrays.copyOf(r, n), Arrays.copyOf(c, n), Arrays.copyOf(v, n));
        return new Read(m, field, sym, (int) stored);
    }

    private static long parseCount(Path file, int line, String s, String what) {
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new MatrixMarketException(file, line, what + " '" + clip(s) + "' is not a non-negative integer");
        }
    }

    private static long parseIndex(Path file, int line, String s, String what, long limit) {
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new MatrixMarketException(file, line, what + " index '" + clip(s) + "' is not an integer");
        }
        if (v < 1 || v > limit) {
            throw new MatrixMarketException(file, line, what + " index " + v + " is out of range; allowed 1 .. " + limit);
        }
        return v;
    }

    private static double parseReal(Path file, int line, String s) {
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v) && !s.endsWith("d") && !s.endsWith("D") && !s.endsWith("f") && !s.endsWith("F")) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MatrixMarketException(file, line, "value '" + clip(s) + "' is not a finite real number");
    }

    private static double parseInteger(Path file, int line, String s) {
        try {
            long v = Long.parseLong(s);
            if (Math.abs(v) <= (1L << 53)) {
                return v;
            }
        } catch (NumberFormatException e) {
            throw new MatrixMarketException(file, line, "value '" + clip(s) + "' is not an integer");
        }
        throw new MatrixMarketException(file, line, "integer value " + s + " is out of range; allowed -2^53 .. 2^53");
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /**
     * Writes {@code m} as a general coordinate file, atomically (a temporary file beside the target,
     * then a move). {@link Field#INTEGER} needs integer values; {@link Field#PATTERN} drops them.
     */
    public static void write(Path file, Csr m, Field field) {
        write(file, m, field, Symmetry.GENERAL);
    }

    /**
     * Writes {@code m}; with {@link Symmetry#SYMMETRIC} only the lower triangle is stored, and
     * {@code m} must be symmetric.
     */
    public static void write(Path file, Csr m, Field field, Symmetry symmetry) {
        if (symmetry == Symmetry.SKEW_SYMMETRIC) {
            throw new IllegalArgumentException("writing skew-symmetric files is not supported; allowed: general, symmetric");
        }
        if (symmetry == Symmetry.SYMMETRIC) {
            String d = m.firstDifference(m.transpose());
            if (d != null) {
                throw new IllegalArgumentException("matrix is not symmetric, so it cannot be written as symmetric: " + d);
            }
        }
        coordinates(file, m, field, symmetry, m.rows(), m.cols(), null, null);
    }

    /**
     * Writes the coordinate entries of {@code m} as a general file of shape {@code rows x cols},
     * its row {@code i} and column {@code j} written as {@code rowIndex[i]} and {@code colIndex[j]}
     * (zero-based, increasing): a matrix kept as its non-empty part (hypersparse) written in its
     * full shape, without any array of that shape.
     */
    public static void write(Path file, Csr m, Field field, int rows, int cols, int[] rowIndex, int[] colIndex) {
        if (rowIndex.length != m.rows() || colIndex.length != m.cols()) {
            throw new IllegalArgumentException("index maps of " + rowIndex.length + " rows and " + colIndex.length
                    + " columns for a " + m.rows() + " x " + m.cols() + " matrix");
        }
        coordinates(file, m, field, Symmetry.GENERAL, rows, cols, rowIndex, colIndex);
    }

    /**
     * The one coordinate writer: the entries of {@code m} (with {@link Symmetry#SYMMETRIC} its lower
     * triangle) in a {@code rows x cols} file, rows and columns through the index maps when given.
     */
    private static void coordinates(Path file, Csr m, Field field, Symmetry symmetry, int rows, int cols,
                                    int[] rowIndex, int[] colIndex) {
        int count = 0;
        for (int i = 0; i < m.rows(); i++) {
            for (int k = m.rowStart(i); k < m.rowEnd(i); k++) {
                if (symmetry == Symmetry.GENERAL || m.colIdx()[k] <= i) {
                    count++;
                }
                if (field == Field.INTEGER && !isInteger(m.values()[k])) {
                    throw new IllegalArgumentException("value " + m.values()[k] + " at (" + i + ", " + m.colIdx()[k]
                            + ") is not an integer within -2^53 .. 2^53; write the matrix as real");
                }
            }
        }
        final int entries = count;
        AtomicFiles.writeText(file, w -> {
            w.write("%%MatrixMarket matrix coordinate " + field.name().toLowerCase(Locale.ROOT) + " "
                    + symmetry.name().toLowerCase(Locale.ROOT) + "\n");
            w.write("% written by Sieve\n");
            w.write(rows + " " + cols + " " + entries + "\n");
            StringBuilder sb = new StringBuilder(64);
            for (int i = 0; i < m.rows(); i++) {
                long row = rowIndex == null ? i : rowIndex[i];
                for (int k = m.rowStart(i); k < m.rowEnd(i); k++) {
                    int j = m.colIdx()[k];
                    if (symmetry == Symmetry.SYMMETRIC && j > i) {
                        continue;
                    }
                    sb.setLength(0);
                    sb.append(row + 1).append(' ').append((colIndex == null ? j : (long) colIndex[j]) + 1);
                    if (field == Field.INTEGER) {
                        sb.append(' ').append((long) m.values()[k]);
                    } else if (field == Field.REAL) {
                        sb.append(' ').append(format(m.values()[k]));
                    }
                    w.write(sb.append('\n').toString());
                }
            }
        });
    }

    /**
     * True when {@code v} is an integer that a double holds exactly and every integer next to it too
     * ({@code |v| <= 2^53}): the values an {@code integer} file can hold without loss.
     */
    public static boolean isInteger(double v) {
        return v == Math.rint(v) && Math.abs(v) <= 0x1.0p53;
    }

    /** The shortest text that reads back as exactly {@code v} (integers without a fraction). */
    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
