package dev.sieve.hdl.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.hdl.Bits;
import java.util.ArrayList;
import java.util.List;

/**
 * The hardware view of a {@link SatConfig}: what the generators and their Java golden models need,
 * with the pattern codes fixed. It is derived in one place, {@link #of}, and adds no rules: the
 * limits of the generators are rules of {@code SatConfig} ({@link SatConfig#rtlLimit}), checked
 * there with its message.
 *
 * <p>{@link #patterns} is the list the {@code pattern} ports index (code i selects
 * {@code patterns().get(i)}; a code beyond the list selects code 0): dense first (always
 * supported), then the record's sparse patterns in their order, each once. The N:M pre-generation
 * unit indexes {@link #sparsePatterns()} the same way. {@code w_segments} picks 1, 2, 4 ..
 * {@link #rowSegments} row segments of the interleave mapping.
 */
public final class SatDatapath {

    /** Width of a partial sum and of an output: INT32 or FP32. */
    public static final int ACC_WIDTH = 32;

    private final SatConfig config;
    private final List<NmPattern> patterns;

    private SatDatapath(SatConfig config, List<NmPattern> patterns) {
        this.config = config;
        this.patterns = List.copyOf(patterns);
    }

    /**
     * The datapath of {@code cfg}, or the record's error when the generators do not build it
     * ({@link SatConfig#requireRtlBuildable}).
     */
    public static SatDatapath of(SatConfig cfg) {
        cfg.requireRtlBuildable();
        List<NmPattern> codes = new ArrayList<>();
        codes.add(NmPattern.DENSE);
        for (NmPattern p : cfg.patterns()) {
            if (!codes.contains(p)) {
                codes.add(p);
            }
        }
        return new SatDatapath(cfg, codes);
    }

    /** The record this view is derived from. */
    public SatConfig config() {
        return config;
    }

    /** PE rows R (the reduction direction). */
    public int rows() {
        return config.rows();
    }

    /** PE columns C (output columns). */
    public int cols() {
        return config.cols();
    }

    /** Multipliers per PE L. */
    public int multipliers() {
        return config.multipliersPerPe();
    }

    /** Number format of a MAC: INT8 x INT8 -> INT32 or BF16 x BF16 -> FP32. */
    public NumberFormat format() {
        return config.format();
    }

    /** The most row segments S of the interleave mapping (a power of two dividing rows; 1 = the plain array). */
    public int rowSegments() {
        return config.rowSegments();
    }

    /** The runtime-selectable patterns in code order: dense, then the record's sparse patterns. */
    public List<NmPattern> patterns() {
        return patterns;
    }

    /** Bits of one weight or activation: 8 (INT8) or 16 (BF16). */
    public int valueWidth() {
        return 8 * format().operandBytes();
    }

    /** Reduction positions a PE covers per cycle in pattern {@code p}: L (dense) or L*M/N. */
    public int kPerPe(NmPattern p) {
        return config.kPerPe(p);
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
        return Bits.widthFor(Integer.numberOfTrailingZeros(rowSegments()));
    }

    /** Segments a {@code w_segments} code selects: 2^code, or 1 when that exceeds {@link #rowSegments}. */
    public int segments(long code) {
        return code >= 0 && code <= Integer.numberOfTrailingZeros(rowSegments()) ? 1 << code : 1;
    }

    /** The sparse patterns, in code order, for the pre-generation unit. */
    public List<NmPattern> sparsePatterns() {
        return patterns.stream().filter(p -> !p.isDense()).toList();
    }

    /** A name fragment such as {@code bf16_l4_d_1o4_2o4_2o8} (format, L, patterns; not the array shape). */
    public String tag() {
        StringBuilder s = new StringBuilder(format().label()).append("_l").append(multipliers());
        for (NmPattern p : patterns) {
            s.append('_').append(p.isDense() ? "d" : p.n() + "o" + p.m());
        }
        return s.toString();
    }
}
