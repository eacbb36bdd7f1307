package dev.sieve.dataflow.sat;

import dev.sieve.arch.NmPattern;

/**
 * An N:M-compressed weight matrix of logical shape {@code rows x cols} ({@code W[F][K]}). Every group
 * holds exactly N slots: {@code values[g*N + j]} and {@code indices[g*N + j]} (position inside the group,
 * {@code 0 .. M-1}, ascending within a group). Groups are numbered line by line: for
 * {@link NmAxis#INPUT_CHANNELS} line r holds {@code ceil(cols/M)} groups of row r; for
 * {@link NmAxis#OUTPUT_CHANNELS} line c holds {@code ceil(rows/M)} groups of column c. A short last group
 * ({@code cols % M} or {@code rows % M} positions) pads with value 0 at an index past its end.
 */
public record NmCompressed(int rows, int cols, NmPattern pattern, NmAxis axis, float[] values, byte[] indices) {

    public NmCompressed {
        if (values.length != indices.length || values.length != groups(rows, cols, pattern, axis) * pattern.n()) {
            throw new IllegalArgumentException("values/indices length " + values.length + "/" + indices.length
                    + " do not match " + groups(rows, cols, pattern, axis) + " groups of N = " + pattern.n());
        }
    }

    /** Groups of M in a {@code rows x cols} matrix along {@code axis}. */
    public static long groups(long rows, long cols, NmPattern p, NmAxis axis) {
        return axis == NmAxis.INPUT_CHANNELS ? rows * ceilDiv(cols, p.m()) : cols * ceilDiv(rows, p.m());
    }

    /** Bytes of the compressed form: N values per group at {@code valueBytes} plus N indices of log2(M) bits, packed. */
    public static long bytes(long rows, long cols, NmPattern p, NmAxis axis, int valueBytes) {
        if (p.isDense()) {
            return rows * cols * valueBytes;
        }
        long kept = groups(rows, cols, p, axis) * p.n();
        return kept * valueBytes + ceilDiv(kept * p.indexBits(), 8);
    }

    /** Groups along one line (a row for INPUT_CHANNELS, a column for OUTPUT_CHANNELS). */
    public int groupsPerLine() {
        return (int) ceilDiv(axis == NmAxis.INPUT_CHANNELS ? cols : rows, pattern.m());
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
