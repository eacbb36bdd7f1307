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
 * measured from its first vector to its last output. With D = 1 and
 * X = 0 (the combinational PE of earlier versions) this is {@code P + Rs + C - 1}; INT8 now takes
 * {@code P + Rs + C + 1} and BF16 with L = 4 and 3 adder stages {@code P + 12*Rs + C + 1}.
 *
 * <h2>Weight load, double buffering and overlapped steps</h2>
 * Loading a step's weights takes {@code R} cycles (one PE row per cycle, all segments together) into
 * shadow registers while the previous step computes. A step either starts <em>instantly</em>: after
 * the previous step has drained, every PE moves its shadow weights to its active ones at once and
 * the whole shadow is free again; or with the <em>switch wave</em> (a step of the same pattern and
 * segment count that overlaps, see below): PE (r, c) moves its shadow weights to its active ones
 * exactly when the step's first vector reaches it ({@link #multiplyCycle} of p = 0), so the vectors
 * of the previous step, still in the PEs below and to the right, keep their weights: the step's
 * vectors follow the previous step's last vector in the next cycle and its fill overlaps the
 * previous step's drain. After a wave start shadow row r is free again once the last PE of the row
 * has taken it, in cycle {@code s + D (r mod Rs) + C - 1} ({@link #rowFreeCycle}); rows load in order,
 * one per cycle, so the next step's weights are all in {@link #reloadCycles}
 * {@code = C + max_r(D (r mod Rs) + R - 1 - r) = C + D (Rs - 1) + R - Rs} cycles after the start (R
 * after an instant start). The next step starts when its weights are in and, when it overlaps, the
 * previous step's last vector has gone, otherwise the previous step has drained:
 * <pre>  s_(i+1) = max(s_i + (wave_i ? reload : R), s_i + P_i + (wave_(i+1) ? 0 : F))   ({@link ArrayClock})</pre>
 * A wave start frees the shadow later than an instant one, which costs short steps when segments
 * make {@code R - Rs} large, so a step overlaps exactly when that pays in a run of equal steps,
 * {@code max(P, reload) < max(P + F, R)} ({@link #overlaps}; always with one segment). That is the
 * array's rule; a pass overlaps its steps only with one segment ({@link #stepsOverlap}: with S > 1 the
 * output buffer's merge chain of S x A cycles sets the bound), and such a run
 * spaces its steps {@link #issueCycles} apart, and n steps of one pattern and segment count end their
 * last output after
 * <pre>  R + sum_(i &lt; n-1) issue(P_i) + P_(n-1) + F                  ({@link #sequenceCycles})</pre>
 * (the first step of a sequence starts instantly; a step that changes the pattern or the segment
 * count never overlaps).
 *
 * <h2>DRAM (model only; the RTL array sees buffers)</h2>
 * Each step's traffic (weights as values plus index bits, streamed activations, partial sums and
 * outputs, attributed per tile by the dataflow's {@code Tiling}) moves at the configured bytes per
 * cycle, overlapped with the step: {@code dram = ceil(bytes / bandwidth)}, and a step whose DRAM time
 * exceeds the cycles it occupies stalls for the difference ({@link #stallCycles}).
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

    /**
     * Cycles from a wave start until the next step's weights are all in the shadow registers when
     * they are offered every cycle: row r loads once the step's first vector has passed the row's last
     * PE (cycle {@code D (r mod Rs) + C - 1}), rows in order one per cycle, so the last row loads in
     * cycle {@code C - 1 + max_r(D (r mod Rs) + R - 1 - r)} and the next step may start one cycle
     * later: {@code C + D (Rs - 1) + R - Rs}.
     */
    public static long reloadCycles(SatConfig cfg, int segmentRows) {
        int d = cfg.psumLatency();
        long last = 0;
        for (int r = 0; r < cfg.rows(); r++) {
            last = Math.max(last, (long) d * (r % segmentRows) + cfg.rows() - 1 - r);
        }
        return cfg.cols() + last;
    }

    /** Cycle (from a wave start) in which shadow row r is free again: {@code D (r mod Rs) + C - 1}. */
    public static long rowFreeCycle(SatConfig cfg, int segmentRows, int r) {
        return (long) cfg.psumLatency() * (r % segmentRows) + cfg.cols() - 1;
    }

    /**
     * True when a step of {@code vectors} vectors overlaps the previous step of its pattern and
     * segment count (starts with the switch wave): when a run of such steps is faster so,
     * {@code max(P, reload) < max(P + F, R)}. Always true with one segment (reload {@code C + D (R - 1)}
     * is below the fill {@code R D + C - 1 + X}).
     */
    public static boolean overlaps(long vectors, int segmentRows, SatConfig cfg) {
        return Math.max(vectors, reloadCycles(cfg, segmentRows))
                < Math.max(computeCycles(vectors, segmentRows, cfg), cfg.rows());
    }

    /**
     * The rule of a pass (the generated accelerator's and {@link SatModel}'s): a step overlaps the
     * previous step of its pass only when the pass has one row segment ({@code segmentRows = R}, where
     * {@link #overlaps} always holds). With S > 1 segments the output buffer adds S partial sums in a
     * chain of {@link #mergeLatency} S x A cycles, and overlapped steps could read an output word again
     * before the previous step's sum into it is written (that needs {@code reload >= S A + 2}, not
     * true in general), so such steps wait for the drain as without the overlap.
     */
    public static boolean stepsOverlap(long vectors, int segmentRows, SatConfig cfg) {
        return segmentRows == cfg.rows() && overlaps(vectors, segmentRows, cfg);
    }

    /**
     * Cycles between the starts of two steps of {@code vectors} vectors in a run of such steps of one
     * pass, their data on chip: {@code max(P, reload)} when they overlap ({@link #stepsOverlap}), else
     * {@code max(P + F, R)}.
     */
    public static long issueCycles(long vectors, int segmentRows, SatConfig cfg) {
        return stepsOverlap(vectors, segmentRows, cfg) ? Math.max(vectors, reloadCycles(cfg, segmentRows))
                : Math.max(computeCycles(vectors, segmentRows, cfg), cfg.rows());
    }

    /**
     * Cycles of n back-to-back steps of one pattern and segment count, their data on chip, from the
     * first weight row to the cycle after the last output ({@link ArrayClock}, each step but the first
     * overlapping when {@link #overlaps} says so).
     */
    public static long sequenceCycles(SatConfig cfg, int segmentRows, long... vectors) {
        ArrayClock clock = new ArrayClock(cfg);
        for (long p : vectors) {
            clock.steps(p, segmentRows, 1);
        }
        return clock.cycles();
    }

    /**
     * The array's own rule, its data on chip and the weights offered every cycle: feed the steps in
     * order, read {@link #cycles} (the cycle after the last output). Step 0 loads its rows in cycles
     * 0 .. R-1 and starts at R; then
     * {@code s_(i+1) = max(s_i + (wave_i ? reload_i : R), s_i + P_i + (wave_(i+1) ? 0 : F_i))}.
     */
    public static final class ArrayClock {
        private final SatConfig cfg;
        private boolean first = true;
        private long start;
        private long vectors;
        private long fill;
        private long reload;
        private boolean wave;
        private long end;

        public ArrayClock(SatConfig cfg) {
            this.cfg = cfg;
        }

        /**
         * The next step: {@code vectors} vectors on segments of {@code segmentRows} rows; {@code wave}
         * when it starts with the switch wave (it overlaps the previous step of its pattern and
         * segment count), else instantly, after the previous step's drain.
         */
        public void step(long vectors, int segmentRows, boolean wave) {
            long s = first ? cfg.rows() : Math.max(start + (this.wave ? reload : cfg.rows()),
                    start + this.vectors + (wave ? 0 : fill));
            first = false;
            start = s;
            this.vectors = vectors;
            this.fill = cfg.fillCycles(segmentRows);
            this.reload = reloadCycles(cfg, segmentRows);
            this.wave = wave;
            end = s + vectors + fill;
        }

        /**
         * {@code count} steps of {@code vectors} vectors of the pattern and segment count of the steps
         * before, each overlapping as {@link #overlaps} says (the first step of all starts instantly);
         * from the third on they are spaced equally, so this takes O(1).
         */
        public void steps(long vectors, int segmentRows, long count) {
            boolean overlap = stepsOverlap(vectors, segmentRows, cfg);
            long spacing = 0;
            for (long i = 0; i < Math.min(count, 3); i++) {
                long before = start;
                step(vectors, segmentRows, overlap && !first);
                spacing = start - before;
            }
            if (count > 3) {
                start += spacing * (count - 3);
                end = start + vectors + fill;
            }
        }

        /** Start cycle of the last step. */
        public long lastStart() {
            return start;
        }

        /** The cycle after the last step's last output. */
        public long cycles() {
            return end;
        }
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
     * the steps in order ({@link #step}), then read {@link #cycles}. All steps of a pass have one
     * pattern and one segment count; the first starts instantly, every other one overlaps when
     * {@link #overlaps} says so ({@code wave_i}). Cycle 0 is the descriptor check; the pass runs from
     * cycle 1 ({@code c}):
     * <ul>
     *   <li>reads: one stream in step order, each step's first-use data (its weights, its activation
     *       slice) one word after another without gaps, {@code lat} cycles after the first address;
     *       the data of step i is all in the buffers from {@code G_i = c + 1 + lat + reads_0..i}
     *       (cycles of the port for the reads of steps 0..i);</li>
     *   <li>array: step i's weight row r loads into the shadow registers once its data is in and the
     *       row is free, rows in order one per cycle, in cycle
     *       {@code w_r = max(w_(r-1) + 1, G_i + 1, f_r)}, where {@code f_r = s_(i-1) + D (r mod Rs) + C - 1}
     *       after a wave start ({@link #rowFreeCycle}), {@code s_(i-1)} after an instant one and
     *       {@code c + 1} for step 0; so {@code w_(R-1) = max(G_i + R, s_(i-1) + (wave_(i-1) ? reload : R) - 1)}.
     *       The step starts when its last row is in and the previous step's last vector has gone
     *       (wave) or it has drained: {@code s_i = max(s_(i-1) + P_(i-1) + (wave_i ? 0 : F), w_(R-1) + 1)};
     *       with the data always there this is {@link ArrayClock};</li>
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
        private final SatConfig cfg;
        private final int rows;
        private final int segmentRows;
        private final long fill;
        private final long reload;
        private final int latency;
        private final int accumulateLatency;
        private final ArrayClock array;
        private long reads;
        private long prevStart;
        private long prevVectors;
        private boolean prevWave;
        private long writeEnd;
        private boolean first = true;

        /**
         * A pass on the array of {@code cfg} with segments of {@code segmentRows} rows, memory latency
         * {@code latency} and merge latency {@code mergeLatency} ({@link #mergeLatency}: S x A).
         */
        public PassClock(SatConfig cfg, int segmentRows, int latency, int mergeLatency) {
            this.cfg = cfg;
            this.rows = cfg.rows();
            this.segmentRows = segmentRows;
            this.fill = cfg.fillCycles(segmentRows);
            this.reload = reloadCycles(cfg, segmentRows);
            this.latency = latency;
            this.accumulateLatency = mergeLatency;
            this.array = new ArrayClock(cfg);
        }

        /**
         * The next step: {@code vectors} vectors, {@code readCycles} port cycles of the data it uses
         * first, {@code writeCycles} of the outputs it finishes.
         */
        public void step(long vectors, long readCycles, long writeCycles) {
            reads += readCycles;
            long ready = START + 1 + latency + reads;
            boolean wave = !first && stepsOverlap(vectors, segmentRows, cfg);
            long freed = first ? START + rows : prevStart + (prevWave ? reload : rows) - 1;
            long lastRow = Math.max(ready + rows, freed);
            long start = Math.max(first ? 0 : prevStart + prevVectors + (wave ? 0 : fill), lastRow + 1);
            array.step(vectors, segmentRows, wave);
            first = false;
            prevStart = start;
            prevVectors = vectors;
            prevWave = wave;
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

        /** The array's part alone, {@link ArrayClock}: what the pass would take with its data on chip. */
        public long arrayCycles() {
            return array.cycles();
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
