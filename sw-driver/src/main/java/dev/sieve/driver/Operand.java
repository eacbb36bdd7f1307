package dev.sieve.driver;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.NmAxis;

/**
 * The stationary (left) operand of a GEMM: a plain matrix, or a weight operand from pre-generation,
 * whose {@code keep} mask marks the entries the array multiplies (null: all of them).
 */
public record Operand(Matrix matrix, boolean[] keep, NmPattern pattern, NmAxis axis) {

    public static Operand dense(Matrix m) {
        return new Operand(m, null, NmPattern.DENSE, NmAxis.INPUT_CHANNELS);
    }

    static Operand weight(Matrix m, boolean[] keep, NmPattern p, NmAxis axis) {
        return new Operand(m, p.isDense() ? null : keep, p, axis);
    }

    /** True when the array multiplies logical entry (r, c). */
    boolean kept(int r, int c) {
        if (keep == null) {
            return true;
        }
        return matrix.transposed() ? keep[c * matrix.rows() + r] : keep[r * matrix.cols() + c];
    }
}
