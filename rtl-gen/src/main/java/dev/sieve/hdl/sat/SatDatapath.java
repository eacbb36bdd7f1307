package dev.sieve.hdl.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.hdl.Bits;
import java.util.ArrayList;
import java.util.List;

/**
 * The hardware view of a SAT array: what the generators and their cycle models need, with the
 * pattern codes fixed. {@code patterns} is the list the {@code pattern} ports index (code i selects
 * {@code patterns.get(i)}; a code beyond the list selects code 0); the N:M pre-generation unit
 * indexes {@link #sparsePatterns()} the same way.
 *
 * @param rows        PE rows R (the reduction direction), 1 .. 64
 * @param cols        PE columns C (output columns), 1 .. 64
 * @param multipliers multipliers per PE L, 1 .. 16
 * @param patterns    the runtime-selectable patterns, distinct, each with N dividing L
 * @param bf16        BF16 x BF16 -> FP32 when true, INT8 x INT8 -> INT32 when false
 * @param rowSegments the most row segments S of the interleave mapping (a power of two dividing
 *                    rows; 1 = the plain array); the {@code w_segments} port picks 1, 2, 4 .. S
 */
public record SatDatapath(int rows, int cols, int multipliers, List<NmPattern> patterns, boolean bf16,
                          int rowSegments) {

    /** Width of a partial sum and of an output: INT32 or FP32. */
    public static final int ACC_WIDTH = 32;

    public SatDatapath {
        range("rows", rows, 1, 64);
        range("cols", cols, 1, 64);
        range("multipliers", multipliers, 1, 16);
        if (patterns == null || patterns.isEmpty()) {
            throw new IllegalArgumentException("patterns = " + patterns + " is not allowed; allowed: a non-empty list");
        }
        if (rowSegments < 1 || Integer.bitCount(rowSegments) != 1 || rows % rowSegments != 0) {
            throw new IllegalArgumentException("rowSegments = " + rowSegments + " is not allowed for rows = " + rows
                    + "; allowed: a power of two dividing rows");
        }
        patterns = List.copyOf(patterns);
        for (NmPattern p : patterns) {
            if (multipliers % p.n() != 0) {
                throw new IllegalArgumentException("patterns: " + p + " needs N = " + p.n() + " to divide multipliers = "
                        + multipliers + "; allowed N: divisors of " + multipliers);
            }
            if (patterns.indexOf(p) != patterns.lastIndexOf(p)) {
                throw new IllegalArgumentException("patterns: " + p + " is listed twice");
            }
        }
    }

    /**
     * The datapath of a {@code SatConfig}-like description: dense first (always supported), then the
     * listed sparse patterns whose N divides L, in their order.
     */
    public static SatDatapath of(SatConfig cfg) {
        return of(cfg.rows(), cfg.cols(), cfg.multipliersPerPe(), cfg.patterns(), cfg.format() == NumberFormat.BF16_FP32,
                cfg.rowSegments());
    }

    /** {@link #of(int, int, int, List, boolean, int)} without row segments. */
    public static SatDatapath of(int rows, int cols, int multipliers, List<NmPattern> listed, boolean bf16) {
        return of(rows, cols, multipliers, listed, bf16, 1);
    }

    public static SatDatapath of(int rows, int cols, int multipliers, List<NmPattern> listed, boolean bf16,
                                 int rowSegments) {
        List<NmPattern> codes = new ArrayList<>();
        codes.add(NmPattern.DENSE);
        for (NmPattern p : listed) {
            if (!p.isDense() && multipliers % p.n() == 0 && !codes.contains(p)) {
                codes.add(p);
            }
        }
        return new SatDatapath(rows, cols, multipliers, codes, bf16, rowSegments);
    }

    /** Bits of one weight or activation: 8 (INT8) or 16 (BF16). */
    public int valueWidth() {
        return bf16 ? 16 : 8;
    }

    /** Reduction positions a PE covers per cycle in pattern {@code p}: L (dense) or L*M/N. */
    public int kPerPe(NmPattern p) {
        return p.isDense() ? multipliers : multipliers / p.n() * p.m();
    }

    /** Activation lanes of a PE: the largest {@link #kPerPe} over the patterns. */
    public int lanes() {
        int k = 0;
        for (NmPattern p : patterns) {
            k = Math.max(k, kPerPe(p));
        }
        return k;
    }

    /** Bits of a stored weight index: the largest log2(M) over the patterns, at least 1. */
    public int indexWidth() {
        int b = 1;
        for (NmPattern p : patterns) {
            b = Math.max(b, p.indexBits());
        }
        return b;
    }

    /** Bits of a stored weight: value in the low bits, index above. */
    public int entryWidth() {
        return valueWidth() + indexWidth();
    }

    /** Bits of a {@code pattern} port over {@link #patterns}. */
    public int patternWidth() {
        return Math.max(1, Bits.log2Ceil(patterns.size()));
    }

    /** Bits of the {@code w_segments} port: codes 0 .. log2(rowSegments) mean 1, 2, 4 .. segments. */
    public int segmentWidth() {
        return Bits.widthFor(Integer.numberOfTrailingZeros(rowSegments));
    }

    /** Segments a {@code w_segments} code selects: 2^code, or 1 when that exceeds {@link #rowSegments}. */
    public int segments(long code) {
        return code >= 0 && code <= Integer.numberOfTrailingZeros(rowSegments) ? 1 << code : 1;
    }

    /** The sparse patterns, in code order, for the pre-generation unit. */
    public List<NmPattern> sparsePatterns() {
        return patterns.stream().filter(p -> !p.isDense()).toList();
    }

    /** A name fragment such as {@code bf16_l4_d_1o4_2o4_2o8} (format, L, patterns; not the array shape). */
    public String tag() {
        StringBuilder s = new StringBuilder(bf16 ? "bf16" : "int8").append("_l").append(multipliers);
        for (NmPattern p : patterns) {
            s.append('_').append(p.isDense() ? "d" : p.n() + "o" + p.m());
        }
        return s.toString();
    }

    private static void range(String field, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(field + " = " + value + " is out of range; allowed " + lo + " .. " + hi);
        }
    }
}
