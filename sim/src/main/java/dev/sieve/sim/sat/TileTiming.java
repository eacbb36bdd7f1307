package dev.sieve.sim.sat;

import dev.sieve.arch.sat.SatConfig;

/**
 * The timing contract of Sieve's SAT array: the Java model computes with these formulas and the
 * generated RTL must take exactly these cycles (the Verilator tests call this class).
 *
 * <h2>Array and tile</h2>
 * An {@code R x C} array of PEs, each with L multipliers, weight-stationary, computing
 * {@code O[co][p] = sum_k W[co][k] * X[k][p]}. PE (r, c) holds the weights of output column c for a
 * chunk of the reduction: in dense mode L consecutive k, in N:M mode L/N groups of M consecutive k
 * (L value/index pairs, the activation of each pair picked by an M-to-1 multiplexer), so it covers
 * {@code kPerPe = L} (dense) or {@code L*M/N} (N:M) reduction positions per cycle. A pattern is
 * supported only if N divides L and the config lists it.
 *
 * <h2>Row segments (Sieve's extension: the interleave mapping)</h2>
 * The R rows may be split into {@code S} segments of {@code Rs = R/S} rows ({@code S} a power of two,
 * at most the config's {@code rowSegments}; {@code S = 1} is the plain array). A segment's top row
 * takes a zero partial sum instead of the one from above, and its bottom row drives a per-segment,
 * per-column output register. Each segment runs its own <em>segment tile</em>:
 * {@code Kt = Rs * kPerPe} reduction positions x C output columns; the S segment tiles of one
 * <em>array step</em> (consecutive tiles of the schedule's loop order) run at the same time with the
 * same number of vectors and the same weight load. Segment tiles that are reduction tiles of the same
 * column tile produce partial sums of the same outputs in the same cycle: per column, S adds in
 * a chain below the array sum them onto the output's accumulator in reduction-tile order (the FP32
 * order of the sw-driver's SAT device), {@link #mergeLatency}; segment tiles of different
 * column tiles go to separate output-buffer banks; one step may mix both (for example 3 reduction
 * tiles of one column tile and the first of the next). The output buffer accumulates, as it does across reduction tiles, and that
 * merge is pipelined behind the output registers (it is not part of the array's step timing).
 * Hardware cost: per row a zero-partial-sum mux and an input skew of {@code r mod Rs} instead of
 * {@code r}; per column S output registers and the merge; S write banks in the output buffer. The
 * offline scheduler picks S per layer and pass, so the passes of one layer may use different S
 * (this is Sieve's <em>interleave mapping</em>: small reductions, such as the weight gradient's
 * P = 16 at batch 1 or the data gradient's Cout = 64, no longer leave rows idle, and fill and drain
 * shrink from R to Rs).
 *
 * <h2>Compute of one step (exact)</h2>
 * The PE pipeline is a rule of {@code SatConfig} (its class comment): products are registered
 * {@code X = SatConfig.PRODUCT_STAGES} times before they meet the partial sum, and a partial sum
 * spends {@code D = SatConfig.psumLatency()} cycles in a PE (1 for INT8, L x fpAddStages for BF16).
 * Cycles are counted from 0 at the step's first compute cycle; {@code r} is the row inside its
 * segment. Vector p enters row r at cycle {@code p + r*D} and moves one PE right per cycle, so PE
 * (r, c) takes it at cycle {@code p + r*D + c} ({@link #multiplyCycle}); its products meet the partial
 * sum from above X cycles later, and the sum leaves the PE D cycles after that, exactly when the PE
 * below has the same vector's products ready. The output register of column c captures
 * {@code O[c][p]} from the segment's last row at the end of cycle {@code p + Rs*D + c + X}
 * ({@link #outputCaptureCycle}). The last capture (p = P-1, c = C-1) ends cycle
 * {@code P + Rs*D + C + X - 2}, so a step of P vectors takes
 * <pre>  compute = P + fill,  fill = Rs*D + C - 1 + X    ({@link #computeCycles}, SatConfig.fillCycles)</pre>
 * and the skew resets between steps: steps do not overlap each other's fill or drain. With D = 1 and
 * X = 0 (the combinational PE of earlier versions) this is {@code P + Rs + C - 1}; INT8 now takes
 * {@code P + Rs + C + 1} and BF16 with L = 4 and 3 adder stages {@code P + 12*Rs + C + 1}.
 *
 * <h2>Weight load and double buffering</h2>
 * Loading a step's weights takes {@code R} cycles (one PE row per cycle, all segments together) into
 * shadow registers, overlapped with the previous step's compute; a step therefore occupies
 * {@code max(compute, R)} cycles ({@link #issueCycles}), and only the first load of a sequence is
 * exposed: n steps take
 * <pre>  R + sum_i max(P_i + fill_i, R)                 ({@link #sequenceCycles})</pre>
 *
 * <h2>DRAM (model only; the RTL array sees buffers)</h2>
 * Each step's traffic (weights as values plus index bits, streamed activations, partial sums and
 * outputs, attributed per tile by the dataflow's {@code Tiling}) moves at the configured bytes per
 * cycle, overlapped with the step: {@code dram = ceil(bytes / bandwidth)}, and a step whose DRAM time
 * exceeds its {@code max(compute, R)} stalls for the difference ({@link #stallCycles}).
 *
 * <h2>Pre-generation unit</h2>
 * Prunes and compresses {@code C} groups of M per cycle ({@link #pregenCycles}), beside the array;
 * its DRAM traffic is bounded by the same bandwidth.
 */
public final class TileTiming {

    private TileTiming() {
    }

    /** Reduction positions per PE per cycle: L (dense) or L*M/N (N:M). */
    public static int kPerPe(int multipliersPerPe, int n, int m, boolean dense) {
        return dense ? multipliersPerPe : multipliersPerPe / n * m;
    }

    /**
     * Cycles one step of {@code vectors} vectors computes on segments of {@code segmentRows} rows of
     * PEs that hold a partial sum {@code psumLatency} cycles: {@code P + Rs*D + C - 1 + X}.
     */
    public static long computeCycles(long vectors, int segmentRows, int cols, int psumLatency) {
        return vectors + SatConfig.fillCycles(segmentRows, cols, psumLatency);
    }

    /** {@link #computeCycles(long, int, int, int)} for the PEs of {@code cfg}. */
    public static long computeCycles(long vectors, int segmentRows, SatConfig cfg) {
        return vectors + cfg.fillCycles(segmentRows);
    }

    /**
     * Cycle (from the step's first compute cycle) at whose end column c's output register captures
     * vector p: {@code p + Rs*D + c + X}.
     */
    public static long outputCaptureCycle(long p, int segmentRows, int c, int psumLatency) {
        return p + (long) segmentRows * psumLatency + c + SatConfig.PRODUCT_STAGES;
    }

    /** Cycle at which PE (r, c) takes vector p into its multipliers: {@code p + r*D + c}. */
    public static long multiplyCycle(long p, int r, int c, int psumLatency) {
        return p + (long) r * psumLatency + c;
    }

    /** Cycles to load one step's weights: R (one PE row per cycle). */
    public static long weightLoadCycles(int rows) {
        return rows;
    }

    /** Cycles a step occupies with double-buffered weights: max(compute, R). */
    public static long issueCycles(long compute, int rows) {
        return Math.max(compute, rows);
    }

    /** Cycles of n back-to-back steps on one segment count: R + sum max(P_i + fill, R). */
    public static long sequenceCycles(SatConfig cfg, int segmentRows, long... vectors) {
        long t = weightLoadCycles(cfg.rows());
        for (long p : vectors) {
            t += issueCycles(computeCycles(p, segmentRows, cfg), cfg.rows());
        }
        return t;
    }

    /**
     * Cycles from an output's accumulator read to its write with {@code segments} row segments: the
     * segments' partial sums are added one after another onto the accumulator, in segment (that is,
     * reduction tile) order, {@code segments x SatConfig.accumulateLatency} (0 for INT8).
     */
    public static int mergeLatency(SatConfig cfg, int segments) {
        return segments * cfg.accumulateLatency();
    }

    /** Cycles DRAM needs for {@code bytes}: ceil(bytes / bandwidth). */
    public static long dramCycles(long bytes, double bytesPerCycle) {
        return bytes == 0 ? 0 : (long) Math.ceil(bytes / bytesPerCycle - 1e-9);
    }

    /** Stall of a step whose DRAM time exceeds the cycles it occupies: max(0, dram - issue). */
    public static long stallCycles(long dramCycles, long issueCycles) {
        return Math.max(0, dramCycles - issueCycles);
    }

    /**
     * The pass rule: the cycles of one GEMM pass whose memory traffic overlaps the array, as the
     * generated accelerator ({@code SatAccelerator}) runs it and as {@link SatModel} charges it. Feed
     * the steps in order ({@link #step}), then read {@link #cycles}. Cycle 0 is the descriptor check;
     * the pass runs from cycle 1 ({@code c}):
     * <ul>
     *   <li>reads: one stream in step order, each step's first-use data (its weights, its activation
     *       slice) one word after another without gaps, {@code lat} cycles after the first address;
     *       the data of step i is all in the buffers from {@code G_i = c + 1 + lat + reads_0..i}
     *       (cycles of the port for the reads of steps 0..i);</li>
     *   <li>array: step i's weights load one row per cycle into the shadow registers from
     *       {@code max(G_i + 1, s_(i-1))} (the previous step's start, when the shadow frees; for
     *       step 0, {@code c + 1}), and the step starts when they are in and the previous step has
     *       drained: {@code s_i = max(s_(i-1) + P_(i-1) + F, max(G_i + 1, s_(i-1)) + R)}; with the data
     *       always there this is {@link #sequenceCycles}' {@code R + sum max(P + F, R)};</li>
     *   <li>writes: vector p's output leaves the array at {@code s_i + p + F + 1}, is accumulated
     *       ({@code 1 + A} cycles, A = {@link #mergeLatency}: S x {@link SatConfig#accumulateLatency}) and, at its last reduction
     *       tile, stored: a step's writes start at {@code max(s_i + F + 3 + A, end of the previous
     *       writes)} and take its write cycles; the pass ends {@code 2 + lat} cycles after the last
     *       write (the response).</li>
     * </ul>
     * So only the first step's reads, the last step's fill and its writes are exposed when the
     * memory keeps up; a step whose data arrives late waits for it, and the writes queue.
     */
    public static final class PassClock {
        private static final long START = 1;
        private final int rows;
        private final int latency;
        private final int accumulateLatency;
        private long reads;
        private long prevStart = START + 1;
        private long prevEnd;
        private long writeEnd;
        private long arrayCycles;
        private boolean first = true;

        /** A pass on {@code rows} rows, memory latency {@code latency}, accumulate latency {@code accumulateLatency}. */
        public PassClock(int rows, int latency, int accumulateLatency) {
            this.rows = rows;
            this.latency = latency;
            this.accumulateLatency = accumulateLatency;
        }

        /**
         * The next step: {@code vectors} vectors with fill {@code fill}, {@code readCycles} port
         * cycles of the data it uses first, {@code writeCycles} of the outputs it finishes.
         */
        public void step(long vectors, long fill, long readCycles, long writeCycles) {
            reads += readCycles;
            long ready = START + 1 + latency + reads;
            long start = Math.max(first ? 0 : prevEnd, Math.max(ready + 1, prevStart) + rows);
            arrayCycles += first ? rows + issueCycles(vectors + fill, rows) : issueCycles(vectors + fill, rows);
            first = false;
            prevStart = start;
            prevEnd = start + vectors + fill;
            if (writeCycles > 0) {
                // the step's writes queue behind the previous ones, and end no earlier than one cycle
                // after its last output is final (a word per vector takes at least that)
                long firstFinal = start + fill + 3 + accumulateLatency;
                writeEnd = Math.max(Math.max(firstFinal, writeEnd) + writeCycles, firstFinal + vectors);
            }
        }

        /** Busy cycles of the pass: 2 + lat after its last write. */
        public long cycles() {
            if (writeEnd == 0) {
                throw new IllegalStateException("a pass writes its outputs; no step wrote");
            }
            return writeEnd + 2 + latency;
        }

        /** The array's part alone, {@link #sequenceCycles}: what the pass would take with its data on chip. */
        public long arrayCycles() {
            return arrayCycles;
        }
    }

    /**
     * Busy cycles of one pre-generation command on the generated accelerator: per dense block one
     * read burst of {@code blockBeats} beats (address, latency, beats), the pre-generation unit's
     * {@code unitLatency} pipeline stages, then one write burst of {@code resultBeats} beats and its
     * response: {@code 1 + blocks (2 lat + Bp + Bq + 2 + U)} ({@code U = NmPregen.LATENCY}; with
     * U = 1, the unit of earlier versions, {@code 1 + blocks (2 lat + Bp + Bq + 3)}).
     */
    public static long acceleratorPregenCycles(long blocks, int blockBeats, int resultBeats, int latency,
                                               int unitLatency) {
        return 1 + blocks * (2L * latency + blockBeats + resultBeats + 2 + unitLatency);
    }

    /** Cycles of the pre-generation unit for {@code groups} groups: ceil(groups / C). */
    public static long pregenCycles(long groups, int cols) {
        return (groups + cols - 1) / cols;
    }
}
