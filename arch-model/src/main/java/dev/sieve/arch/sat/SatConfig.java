package dev.sieve.arch.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A SAT-style N:M sparse training array: {@code rows x cols} processing elements, each with
 * {@code multipliersPerPe} multipliers (L), weight-stationary, running dense and N:M sparse
 * matrix products on the same PEs. The same record drives the cycle model and the RTL generators.
 *
 * <p>A PE in dense mode covers L consecutive reduction positions per cycle; in N:M mode it holds
 * L/N groups of M positions (L value/index pairs) and so covers {@code L*M/N} positions. A pattern
 * is usable only when N divides L and it is listed in {@link #patterns}.
 *
 * @param rows             PE rows R (reduction direction), 1 .. 1024
 * @param cols             PE columns C (output columns), 1 .. 1024
 * @param multipliersPerPe multipliers per PE L, 1 .. 64
 * @param patterns         the N:M patterns the array supports; each needs N dividing L (dense always allowed)
 * @param format           number format of one MAC
 * @param ifmapKiB         streamed-operand buffer, KiB, 1 .. 1048576
 * @param weightKiB        stationary-operand buffer, KiB, 1 .. 1048576
 * @param ofmapKiB         output / partial-sum buffer, KiB, 1 .. 1048576
 * @param dramBytesPerCycle DRAM bandwidth in bytes per array clock cycle, (0, 65536]
 * @param clockMhz         array clock in MHz, (0, 10000]
 * @param rowSegments      most row segments of the interleave mapping (Sieve's extension, see the sim
 *                         model's {@code TileTiming}): a power of two dividing {@code rows}; 1 turns it off
 */
public record SatConfig(int rows, int cols, int multipliersPerPe, List<NmPattern> patterns, NumberFormat format,
                        int ifmapKiB, int weightKiB, int ofmapKiB, double dramBytesPerCycle, double clockMhz,
                        int rowSegments) {

    /** The patterns supported by default: dense, 1:4, 2:4, 2:8, 1:8, 4:8. */
    public static final List<NmPattern> DEFAULT_PATTERNS = List.of(NmPattern.DENSE, new NmPattern(1, 4),
            new NmPattern(2, 4), new NmPattern(2, 8), new NmPattern(1, 8), new NmPattern(4, 8));

    /**
     * Default DRAM bandwidth: a Xilinx VCU1525 board (the SAT paper's platform) has four DDR4-2400
     * x64 channels, 4 x 19.2 GB/s = 76.8 GB/s, which at the default 200 MHz clock is 384 bytes/cycle.
     */
    public static final double DEFAULT_DRAM_BYTES_PER_CYCLE = 384;
    public static final double DEFAULT_CLOCK_MHZ = 200;
    public static final int DEFAULT_BUFFER_KIB = 512;
    public static final int DEFAULT_MULTIPLIERS_PER_PE = 4;
    public static final int DEFAULT_ROW_SEGMENTS = 4;

    public SatConfig {
        range("rows", rows, 1, 1024);
        range("cols", cols, 1, 1024);
        range("multipliersPerPe", multipliersPerPe, 1, 64);
        if (patterns == null || patterns.isEmpty()) {
            throw new IllegalArgumentException("patterns = " + patterns + " is not allowed; allowed: a non-empty list of N:M patterns");
        }
        patterns = List.copyOf(patterns);
        for (NmPattern p : patterns) {
            if (multipliersPerPe % p.n() != 0) {
                throw new IllegalArgumentException("patterns: " + p + " needs N = " + p.n()
                        + " to divide multipliersPerPe = " + multipliersPerPe + "; allowed N: divisors of " + multipliersPerPe);
            }
        }
        if (format == null) {
            throw new IllegalArgumentException("format = null is not allowed; allowed: int8, bf16");
        }
        range("ifmapKiB", ifmapKiB, 1, 1 << 20);
        range("weightKiB", weightKiB, 1, 1 << 20);
        range("ofmapKiB", ofmapKiB, 1, 1 << 20);
        if (!(dramBytesPerCycle > 0 && dramBytesPerCycle <= 65536)) {
            throw new IllegalArgumentException("dramBytesPerCycle = " + dramBytesPerCycle + " is out of range; allowed (0, 65536]");
        }
        if (!(clockMhz > 0 && clockMhz <= 10000)) {
            throw new IllegalArgumentException("clockMhz = " + clockMhz + " is out of range; allowed (0, 10000]");
        }
        if (rowSegments < 1 || Integer.bitCount(rowSegments) != 1 || rows % rowSegments != 0) {
            throw new IllegalArgumentException("rowSegments = " + rowSegments + " is not allowed for rows = " + rows
                    + "; allowed: a power of two dividing rows (1 turns the interleave mapping off)");
        }
    }

    /** An array of {@code rows x cols} with every other setting at its default. */
    public static SatConfig of(int rows, int cols) {
        return new SatConfig(rows, cols, DEFAULT_MULTIPLIERS_PER_PE, DEFAULT_PATTERNS, NumberFormat.INT8_INT32,
                DEFAULT_BUFFER_KIB, DEFAULT_BUFFER_KIB, DEFAULT_BUFFER_KIB, DEFAULT_DRAM_BYTES_PER_CYCLE,
                DEFAULT_CLOCK_MHZ, Math.min(DEFAULT_ROW_SEGMENTS, Integer.lowestOneBit(rows)));
    }

    public SatConfig withRowSegments(int segments) {
        return new SatConfig(rows, cols, multipliersPerPe, patterns, format, ifmapKiB, weightKiB, ofmapKiB,
                dramBytesPerCycle, clockMhz, segments);
    }

    public SatConfig withMultipliersPerPe(int l, List<NmPattern> supported) {
        return new SatConfig(rows, cols, l, supported, format, ifmapKiB, weightKiB, ofmapKiB, dramBytesPerCycle,
                clockMhz, rowSegments);
    }

    public SatConfig withFormat(NumberFormat f) {
        return new SatConfig(rows, cols, multipliersPerPe, patterns, f, ifmapKiB, weightKiB, ofmapKiB,
                dramBytesPerCycle, clockMhz, rowSegments);
    }

    public SatConfig withDramBytesPerCycle(double bw) {
        return new SatConfig(rows, cols, multipliersPerPe, patterns, format, ifmapKiB, weightKiB, ofmapKiB, bw,
                clockMhz, rowSegments);
    }

    public SatConfig withBuffersKiB(int ifmap, int weight, int ofmap) {
        return new SatConfig(rows, cols, multipliersPerPe, patterns, format, ifmap, weight, ofmap, dramBytesPerCycle,
                clockMhz, rowSegments);
    }

    /** True when {@code p} is listed and N divides L (dense is always supported). */
    public boolean supports(NmPattern p) {
        return p.isDense() || (patterns.contains(p) && multipliersPerPe % p.n() == 0);
    }

    /**
     * Throws naming the pattern and the supported list when {@code p} cannot run on this array.
     */
    public void requireSupported(NmPattern p) {
        if (!supports(p)) {
            throw new IllegalArgumentException("N:M pattern " + p + " is not supported by this array; allowed: "
                    + patterns.stream().map(NmPattern::toString).collect(Collectors.joining(", ")));
        }
    }

    /** Reduction positions one PE covers per cycle: L (dense) or L*M/N (N:M). */
    public int kPerPe(NmPattern p) {
        requireSupported(p);
        return p.isDense() ? multipliersPerPe : multipliersPerPe / p.n() * p.m();
    }

    /** Peak multiply-accumulates per cycle, R*C*L. */
    public long peakMacsPerCycle() {
        return (long) rows * cols * multipliersPerPe;
    }

    public long ifmapBytes() {
        return ifmapKiB * 1024L;
    }

    public long weightBytes() {
        return weightKiB * 1024L;
    }

    public long ofmapBytes() {
        return ofmapKiB * 1024L;
    }

    private static void range(String field, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(field + " = " + value + " is out of range; allowed " + lo + " .. " + hi);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%dx%d L=%d %s seg=%d buf=%d/%d/%dKiB dram=%.0fB/cyc %.0fMHz", rows, cols,
                multipliersPerPe, format.label(), rowSegments, ifmapKiB, weightKiB, ofmapKiB, dramBytesPerCycle, clockMhz);
    }
}
