package dev.sieve.arch.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.Range;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
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
 * <p><b>Modelled and buildable points.</b> The cycle model takes every point this record accepts;
 * the RTL generators build the smaller ones ({@link #rtlLimit}: rows in {@link #RTL_ROWS}, cols in
 * {@link #RTL_COLS}, multipliers per PE in {@link #RTL_MULTIPLIERS_PER_PE}, a format of
 * {@link #RTL_FORMATS}). A larger point is modelled only, and says so with this record's
 * message wherever RTL is asked of it.
 *
 * @param rows             PE rows R (reduction direction), {@link #ROWS}, 1 .. 1024
 * @param cols             PE columns C (output columns), {@link #COLS}, 1 .. 1024
 * @param multipliersPerPe multipliers per PE L, {@link #MULTIPLIERS_PER_PE}, 1 .. 64
 * @param patterns         the N:M patterns the array supports; each needs N dividing L (dense always allowed)
 * @param format           number format of one MAC
 * @param ifmapKiB         streamed-operand buffer, KiB, 1 .. 1048576
 * @param weightKiB        stationary-operand buffer, KiB, 1 .. 1048576
 * @param ofmapKiB         output / partial-sum buffer, KiB, 1 .. 1048576
 * @param dramBytesPerCycle DRAM bandwidth in bytes per array clock cycle, 1/1024 .. 65536
 * @param clockMhz         array clock in MHz, (0, 10000]
 * @param rowSegments      most row segments of the interleave mapping (Sieve's extension, see the sim
 *                         model's {@code TileTiming}): a power of two dividing {@code rows}; 1 turns it off
 * @param fpAddStages      pipeline stages of one FP32 adder of a BF16 PE, {@link #FP_ADD_STAGES}, 1 .. 4
 *                         (default {@link #DEFAULT_FP_ADD_STAGES}); sets {@link #psumLatency} and so the
 *                         array's fill (see {@link #fillCycles}); INT8 arrays ignore it
 *
 * <h2>PE pipeline (one rule for the model and the RTL)</h2>
 * A PE registers its products {@link #PRODUCT_STAGES} times before they meet the partial sum (INT8:
 * the DSP's product register, then the sum of the L products; BF16: the significand product, then
 * the packed FP32 product), and a partial sum spends {@link #psumLatency} cycles in each PE: one for
 * INT8 (one 32-bit addition), {@code L x fpAddStages} for BF16 (the L adders run in a fixed order,
 * {@code ((psum_in + p0) + p1) + ...}, each pipelined into {@code fpAddStages} stages). Activations
 * are skewed by {@code psumLatency} cycles per row, so throughput stays one vector per cycle and
 * only the fill of a step grows: {@link #fillCycles}.
 */
public record SatConfig(int rows, int cols, int multipliersPerPe, List<NmPattern> patterns, NumberFormat format,
                        int ifmapKiB, int weightKiB, int ofmapKiB, double dramBytesPerCycle, double clockMhz,
                        int rowSegments, int fpAddStages) {

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
    /**
     * Pipeline stages of one FP32 adder: 1 (combinational, registered at its output), 2 (plus a
     * register after the aligned addition), 3 (plus one after the swap) or 4 (plus one after
     * normalisation).
     */
    public static final Range FP_ADD_STAGES = new Range(1, 4);
    /**
     * 4: the fewest stages whose longest path (Yosys {@code ltp} after {@code synth_xilinx}: 6 LUT
     * levels and 10 carry cells) fits a 5 ns (200 MHz) clock under the README's per-level delays;
     * with 3 stages the normalise-and-round stage alone has 18 LUT levels.
     */
    public static final int DEFAULT_FP_ADD_STAGES = 4;
    /** Register stages between a PE's activation input and its products meeting the partial sum. */
    public static final int PRODUCT_STAGES = 2;

    /** Array and PE sizes the model takes. */
    public static final Range ROWS = new Range(1, 1024);
    public static final Range COLS = new Range(1, 1024);
    public static final Range MULTIPLIERS_PER_PE = new Range(1, 64);
    public static final Range BUFFER_KIB = new Range(1, 1 << 20);
    /** Largest DRAM bandwidth in bytes per cycle and clock in MHz; both must be above 0. */
    public static final double MAX_DRAM_BYTES_PER_CYCLE = 65536;
    /**
     * Slowest DRAM, in bytes per cycle (1/1024): a slower one would make a training step's stall
     * cycles pass a {@code long} on the largest layers the topology readers accept.
     */
    public static final double MIN_DRAM_BYTES_PER_CYCLE = 1.0 / 1024;
    public static final double MAX_CLOCK_MHZ = 10000;
    /** What {@code rowSegments} may be. */
    public static final String ROW_SEGMENTS_ALLOWED = "a power of two dividing rows";

    /**
     * Array and PE sizes the RTL generators build (the sparse PE, the PE array and the N:M
     * pre-generation unit); a point beyond them is modelled only.
     */
    public static final Range RTL_ROWS = new Range(1, 64);
    public static final Range RTL_COLS = new Range(1, 64);
    public static final Range RTL_MULTIPLIERS_PER_PE = new Range(1, 16);
    /** Number formats the generators have multipliers and adders for. */
    public static final Set<NumberFormat> RTL_FORMATS = EnumSet.of(NumberFormat.INT8_INT32, NumberFormat.BF16_FP32);

    public SatConfig {
        ROWS.check("rows", rows);
        COLS.check("cols", cols);
        MULTIPLIERS_PER_PE.check("multipliersPerPe", multipliersPerPe);
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
        BUFFER_KIB.check("ifmapKiB", ifmapKiB);
        BUFFER_KIB.check("weightKiB", weightKiB);
        BUFFER_KIB.check("ofmapKiB", ofmapKiB);
        if (!(dramBytesPerCycle >= MIN_DRAM_BYTES_PER_CYCLE && dramBytesPerCycle <= MAX_DRAM_BYTES_PER_CYCLE)) {
            throw new IllegalArgumentException("dramBytesPerCycle = " + dramBytesPerCycle + " is out of range; allowed "
                    + java.math.BigDecimal.valueOf(MIN_DRAM_BYTES_PER_CYCLE).toPlainString() + " .. "
                    + (long) MAX_DRAM_BYTES_PER_CYCLE);
        }
        if (!(clockMhz > 0 && clockMhz <= MAX_CLOCK_MHZ)) {
            throw new IllegalArgumentException("clockMhz = " + clockMhz + " is out of range; allowed (0, "
                    + (long) MAX_CLOCK_MHZ + "]");
        }
        if (rowSegments < 1 || Integer.bitCount(rowSegments) != 1 || rows % rowSegments != 0) {
            throw new IllegalArgumentException("rowSegments = " + rowSegments + " is not allowed for rows = " + rows
                    + "; allowed: " + ROW_SEGMENTS_ALLOWED + " (1 turns the interleave mapping off)");
        }
        FP_ADD_STAGES.check("fpAddStages", fpAddStages);
    }

    /** A point with the default FP32 adder pipeline ({@link #DEFAULT_FP_ADD_STAGES}). */
    public SatConfig(int rows, int cols, int multipliersPerPe, List<NmPattern> patterns, NumberFormat format,
                     int ifmapKiB, int weightKiB, int ofmapKiB, double dramBytesPerCycle, double clockMhz,
                     int rowSegments) {
        this(rows, cols, multipliersPerPe, patterns, format, ifmapKiB, weightKiB, ofmapKiB, dramBytesPerCycle, clockMhz,
                rowSegments, DEFAULT_FP_ADD_STAGES);
    }

    /** An array of {@code rows x cols} with every other setting at its default. */
    public static SatConfig of(int rows, int cols) {
        return new SatConfig(rows, cols, DEFAULT_MULTIPLIERS_PER_PE, DEFAULT_PATTERNS, NumberFormat.INT8_INT32,
                DEFAULT_BUFFER_KIB, DEFAULT_BUFFER_KIB, DEFAULT_BUFFER_KIB, DEFAULT_DRAM_BYTES_PER_CYCLE,
                DEFAULT_CLOCK_MHZ, Math.min(DEFAULT_ROW_SEGMENTS, Integer.lowestOneBit(rows)));
    }

    public SatConfig withRowSegments(int segments) {
        return new SatConfig(rows, cols, multipliersPerPe, patterns, format, ifmapKiB, weightKiB, ofmapKiB,
                dramBytesPerCycle, clockMhz, segments, fpAddStages);
    }

    public SatConfig withMultipliersPerPe(int l, List<NmPattern> supported) {
        return new SatConfig(rows, cols, l, supported, format, ifmapKiB, weightKiB, ofmapKiB, dramBytesPerCycle,
                clockMhz, rowSegments, fpAddStages);
    }

    public SatConfig withFormat(NumberFormat f) {
        return new SatConfig(rows, cols, multipliersPerPe, patterns, f, ifmapKiB, weightKiB, ofmapKiB,
                dramBytesPerCycle, clockMhz, rowSegments, fpAddStages);
    }

    public SatConfig withDramBytesPerCycle(double bw) {
        return new SatConfig(rows, cols, multipliersPerPe, patterns, format, ifmapKiB, weightKiB, ofmapKiB, bw,
                clockMhz, rowSegments, fpAddStages);
    }

    public SatConfig withBuffersKiB(int ifmap, int weight, int ofmap) {
        return new SatConfig(rows, cols, multipliersPerPe, patterns, format, ifmap, weight, ofmap, dramBytesPerCycle,
                clockMhz, rowSegments, fpAddStages);
    }

    public SatConfig withFpAddStages(int stages) {
        return new SatConfig(rows, cols, multipliersPerPe, patterns, format, ifmapKiB, weightKiB, ofmapKiB,
                dramBytesPerCycle, clockMhz, rowSegments, stages);
    }

    /**
     * Cycles a partial sum spends in one PE: 1 for INT8, {@code L x fpAddStages} for BF16 (see the
     * class comment).
     */
    public int psumLatency() {
        return format == NumberFormat.BF16_FP32 ? multipliersPerPe * fpAddStages : 1;
    }

    /**
     * Cycles the accelerator's output buffer takes to add a partial sum onto its accumulator: 0 for
     * INT8 (a 32-bit integer add in the cycle the accumulator is read), {@code fpAddStages} for BF16
     * (the same pipelined FP32 adder as the PEs'). Reading an accumulator again waits at least a
     * whole array fill, longer than this, so the pipeline needs no forwarding.
     */
    public int accumulateLatency() {
        return format == NumberFormat.BF16_FP32 ? fpAddStages : 0;
    }

    /**
     * Fill of one array step on segments of {@code segmentRows} rows: the cycles from a vector's
     * acceptance to its results at the array's outputs, {@code Rs x psumLatency + C - 1 + PRODUCT_STAGES}.
     * With the combinational PE of earlier versions (psumLatency 1, no product stages) this was
     * {@code Rs + C - 1}; a step of P vectors occupies {@code P + fillCycles} cycles.
     */
    public long fillCycles(int segmentRows) {
        return fillCycles(segmentRows, cols, psumLatency());
    }

    /** {@link #fillCycles(int)} of an array of {@code cols} columns whose PEs hold a partial sum {@code psumLatency} cycles. */
    public static long fillCycles(int segmentRows, int cols, int psumLatency) {
        return (long) segmentRows * psumLatency + cols - 1 + PRODUCT_STAGES;
    }

    /**
     * The patterns of {@code listed} an array of {@code multipliersPerPe} multipliers per PE can run
     * (N divides L), in their order; none when L is not positive (the constructor names that).
     */
    public static List<NmPattern> patternsFor(int multipliersPerPe, List<NmPattern> listed) {
        return listed.stream().filter(p -> multipliersPerPe > 0 && multipliersPerPe % p.n() == 0).toList();
    }

    /**
     * Why the RTL generators cannot build this point, or empty when they can: the first of rows,
     * cols, multipliersPerPe and format beyond what they build, named with its value and the range
     * they build. A point with a reason is modelled only.
     */
    public Optional<String> rtlLimit() {
        if (!RTL_ROWS.contains(rows)) {
            return Optional.of(beyondRtl("rows", rows, RTL_ROWS.toString()));
        }
        if (!RTL_COLS.contains(cols)) {
            return Optional.of(beyondRtl("cols", cols, RTL_COLS.toString()));
        }
        if (!RTL_MULTIPLIERS_PER_PE.contains(multipliersPerPe)) {
            return Optional.of(beyondRtl("multipliersPerPe", multipliersPerPe, RTL_MULTIPLIERS_PER_PE.toString()));
        }
        if (!RTL_FORMATS.contains(format)) {
            return Optional.of(beyondRtl("format", format.label(),
                    String.join(", ", RTL_FORMATS.stream().map(NumberFormat::label).toList())));
        }
        return Optional.empty();
    }

    /** True when the RTL generators build this point ({@link #rtlLimit} is empty). */
    public boolean rtlBuildable() {
        return rtlLimit().isEmpty();
    }

    /** This point, or an error with {@link #rtlLimit}'s reason when it is modelled only. */
    public SatConfig requireRtlBuildable() {
        Optional<String> limit = rtlLimit();
        if (limit.isPresent()) {
            throw new IllegalArgumentException(limit.get());
        }
        return this;
    }

    private static String beyondRtl(String field, Object value, String allowed) {
        return field + " = " + value + " is beyond the RTL generators (the point is modelled only); RTL allowed "
                + allowed;
    }

    /** True when {@code p} is listed (the constructor has checked that N divides L; dense is always supported). */
    public boolean supports(NmPattern p) {
        return p.isDense() || patterns.contains(p);
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

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%dx%d L=%d %s seg=%d buf=%d/%d/%dKiB dram=%.0fB/cyc %.0fMHz", rows, cols,
                multipliersPerPe, format.label(), rowSegments, ifmapKiB, weightKiB, ofmapKiB, dramBytesPerCycle, clockMhz);
    }
}
