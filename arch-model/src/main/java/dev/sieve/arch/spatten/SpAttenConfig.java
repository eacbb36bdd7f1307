package dev.sieve.arch.spatten;

import dev.sieve.arch.Range;

/**
 * A SpAtten-style sparse attention accelerator (Wang, Zhang, Han, HPCA 2021) as hardware:
 * multiplier arrays for Q·K and prob·V, quick-select top-k engines, K and V SRAMs, an HBM
 * interface and the fixed-point word. Every field is checked here; an error names the field, the
 * bad value and the allowed range. The algorithm run on it (pruning ratios, the cascade schedule,
 * progressive quantization) is a separate input, {@code dev.sieve.dataflow.spatten.SpAttenPolicy}.
 *
 * @param qkMultipliers    multipliers of the Q·K array (512: 8 keys per cycle at head dim 64)
 * @param pvMultipliers    multipliers of the prob·V array (512)
 * @param topkComparators  comparators P of each top-k engine (16); see {@link TopK}
 * @param topkEngines      top-k engines working on different queries/heads in parallel (1)
 * @param kSramBytes       K SRAM size in bytes (196 KB)
 * @param vSramBytes       V SRAM size in bytes (196 KB)
 * @param hbmChannels      HBM channels (16)
 * @param hbmBytesPerCycle bytes per cycle per channel (32)
 * @param wordBits         fixed-point word of Q, K, V and probabilities (12)
 * @param clockGhz         clock in GHz (1.0)
 */
public record SpAttenConfig(int qkMultipliers, int pvMultipliers, int topkComparators, int topkEngines,
                            int kSramBytes, int vSramBytes, int hbmChannels, int hbmBytesPerCycle, int wordBits,
                            double clockGhz) {

    public static final Range WORD_BITS = new Range(2, 32);

    public SpAttenConfig {
        intRange("qk_multipliers", qkMultipliers, 1, 1 << 20);
        intRange("pv_multipliers", pvMultipliers, 1, 1 << 20);
        TopK.checkComparators("topk_comparators", topkComparators);
        intRange("topk_engines", topkEngines, 1, 64);
        intRange("k_sram_bytes", kSramBytes, 1024, 1 << 30);
        intRange("v_sram_bytes", vSramBytes, 1024, 1 << 30);
        intRange("hbm_channels", hbmChannels, 1, 1024);
        intRange("hbm_bytes_per_cycle", hbmBytesPerCycle, 1, 4096);
        WORD_BITS.check("word_bits", wordBits);
        if (!(clockGhz > 0 && clockGhz <= 10)) {
            throw new IllegalArgumentException("clock_ghz = " + clockGhz + " is out of range; allowed (0, 10]");
        }
    }

    /**
     * The paper's hardware, preset {@code spatten}: 512 + 512 multipliers (8 softmax units at head
     * dim 64), one top-k engine of 16 comparators (2 per softmax unit, twice the 8 scores per cycle
     * Q·K delivers), 196 KB K and V SRAMs, 16 HBM channels of 32 B/cycle, 12-bit words, 1 GHz.
     */
    public static SpAttenConfig paper() {
        return new SpAttenConfig(512, 512, 16, 1, 196 * 1024, 196 * 1024, 16, 32, 12, 1.0);
    }

    /**
     * Preset {@code spatten-1/8}, the released design's default run (mit-han-lab/spatten,
     * {@code run_spatten_hardware.py}: {@code --num_multipliers 64 --bandwidth_downsample 8}), the
     * configuration the paper compares with A3 and MNNFast: 64 + 64 multipliers (one softmax unit,
     * one key per cycle), 2 HBM channels of 32 B/cycle, the same SRAMs and word. Its top-k latency is
     * charged at 16 comparators, as the release's test bench does ({@code --topk_parallelism 16});
     * the released TopK module built at this size would have 2 (set {@code topk_comparators}).
     */
    public static SpAttenConfig oneEighth() {
        return new SpAttenConfig(64, 64, 16, 1, 196 * 1024, 196 * 1024, 2, 32, 12, 1.0);
    }

    /** Names of the hardware presets, for {@link #preset}. */
    public static final java.util.List<String> PRESETS = java.util.List.of("spatten", "spatten-1/8");

    /** A hardware preset by name: {@code spatten} ({@link #paper}) or {@code spatten-1/8} ({@link #oneEighth}). */
    public static SpAttenConfig preset(String name) {
        return switch (name) {
            case "spatten" -> paper();
            case "spatten-1/8" -> oneEighth();
            default -> throw new IllegalArgumentException("hardware preset '" + name + "' is unknown; allowed: "
                    + String.join(", ", PRESETS));
        };
    }

    /** Cycles of one Q·K pass of one query over {@code keys} keys of dimension {@code d}. */
    public long qkCycles(long keys, int d) {
        return ceilDiv(keys * d, qkMultipliers);
    }

    /** Cycles of prob·V for one query over {@code values} V rows of dimension {@code d}. */
    public long pvCycles(long values, int d) {
        return ceilDiv(values * d, pvMultipliers);
    }

    /**
     * Cycles to move {@code bytes} over HBM: whole bursts of {@link #hbmBytesPerCycle} bytes,
     * interleaved over the channels, {@code ceil(ceil(bytes / burst) / channels)}.
     */
    public long hbmCycles(long bytes) {
        return ceilDiv(ceilDiv(bytes, hbmBytesPerCycle), hbmChannels);
    }

    /**
     * The cost of one query on this hardware: the cycles it spends in each stage of the attention
     * pipeline, from which the interval of a stream of such queries, the latency of one alone and
     * the exact schedule of a run follow ({@link QueryCost}). The one statement of SpAtten's
     * per-query timing, for the cycle model and for the pipeline RTL, which meets it cycle for cycle
     * when its streams deliver a beat every cycle (HBM never slower than the arrays):
     * <ul>
     *   <li>Q·K: HBM brings Q and the K MSBs while the Q·K array takes {@code qkMultipliers}
     *       elements a cycle ({@code max(fetch, qk)}), then the logits drain
     *       ({@link AttentionPipeline#QK_DRAIN}).</li>
     *   <li>softmax: the exponential pass reads {@code ceil(keys/S)} rows of
     *       {@code S = max(1, qkMultipliers/D)} lanes ({@link AttentionPipeline#EXP_DRAIN}) and the
     *       refetch decision takes a cycle; a refetch runs a second Q·K pass on the LSBs (once the
     *       array is free) and a second exponential pass.</li>
     *   <li>select: the division pass ({@code ceil(keys/S)} rows and {@link AttentionPipeline#DIV_DRAIN})
     *       fills the top-k engine, which then selects (only when {@code values < keys}); one
     *       engine, one query at a time.</li>
     *   <li>value: HBM brings the kept V rows while the prob·V array multiplies them, then the
     *       accumulators drain and the output cycle.</li>
     * </ul>
     */
    public QueryCost queryCost(QueryShape q) {
        int d = q.headDim();
        long qk = qkCycles(q.keys(), d);
        long soft = softmaxRows(q.keys(), d);
        long softmax = AttentionPipeline.QK_DRAIN + soft + AttentionPipeline.EXP_DRAIN + AttentionPipeline.DECIDE;
        long kFetch = hbmCycles(q.queryBytes() + q.keyBytes());
        boolean refetch = q.refetchBits() > 0;
        long lsbFetch = refetch ? hbmCycles(q.refetchBytes()) : 0;
        long divide = soft + AttentionPipeline.DIV_DRAIN;
        long vFetch = hbmCycles(q.valueBytes());
        long pv = pvCycles(q.values(), d);
        long hbm = hbmCycles(q.queryBytes() + q.keyBytes() + q.refetchBytes() + q.valueBytes());
        return new QueryCost(kFetch, qk, softmax, lsbFetch, refetch ? 2 : 1, divide,
                q.selects() ? q.selectionCycles() : 0, q.selects(), vFetch, pv, hbm, topkEngines);
    }

    /**
     * Softmax lanes at head dimension {@code d}: {@code max(1, qkMultipliers / d)}, the scores Q·K
     * delivers a cycle.
     */
    public int softmaxLanes(int d) {
        return Math.max(1, qkMultipliers / d);
    }

    /** Rows of the softmax's passes over {@code keys} scores: {@code ceil(keys / softmaxLanes(d))}. */
    public long softmaxRows(long keys, int d) {
        return ceilDiv(keys, softmaxLanes(d));
    }

    /** A copy with {@code engines} top-k engines. */
    public SpAttenConfig withTopkEngines(int engines) {
        return new SpAttenConfig(qkMultipliers, pvMultipliers, topkComparators, engines, kSramBytes, vSramBytes,
                hbmChannels, hbmBytesPerCycle, wordBits, clockGhz);
    }

    /** A copy whose top-k engine has {@code comparators} comparators. */
    public SpAttenConfig withTopkComparators(int comparators) {
        return new SpAttenConfig(qkMultipliers, pvMultipliers, comparators, topkEngines, kSramBytes, vSramBytes,
                hbmChannels, hbmBytesPerCycle, wordBits, clockGhz);
    }

    /** HBM bytes per cycle over all channels. */
    public int hbmBytesPerCycleTotal() {
        return hbmChannels * hbmBytesPerCycle;
    }

    /**
     * This accelerator's top-k engine built for at most {@code maxN} values: its comparators and
     * the word width of the scores it ranks. The one place the engine's view is derived.
     */
    public TopK topk(int maxN) {
        return new TopK(topkComparators, maxN, wordBits);
    }

    /**
     * The top-k engine (quick-select with P comparators, then one filter pass that marks the
     * winners in index order), the same hardware for the generator, its golden model and the cycle
     * model. A round over {@code m} candidates costs {@link #roundCycles}; a whole selection adds
     * the start cycle and the output pass ({@link #outputCycles}).
     *
     * @param comparators P, a power of two in {@link #COMPARATORS}
     * @param maxN        values one selection may hold, a power of two from {@code 2P} to {@link #MAX_N}
     * @param width       bits of an unsigned value, {@link #WIDTH}
     */
    public record TopK(int comparators, int maxN, int width) {
        public static final Range COMPARATORS = new Range(2, 64);
        public static final int MAX_N = 65536;
        public static final Range WIDTH = new Range(1, 32);
        /** What {@code comparators} may be, in words. */
        public static final String COMPARATORS_ALLOWED = "a power of two in " + COMPARATORS;
        /** What {@code maxN} may be, in words. */
        public static final String MAX_N_ALLOWED = "a power of two in 2*comparators .. " + MAX_N;
        /** Cycles of a selection before its first round: the start cycle. */
        public static final int START_CYCLES = 1;

        public TopK {
            checkComparators("comparators", comparators);
            if (maxN < 2 * comparators || maxN > MAX_N || Integer.bitCount(maxN) != 1) {
                throw new IllegalArgumentException("max_n = " + maxN + " is out of range; allowed a power of two in "
                        + 2 * comparators + " .. " + MAX_N);
            }
            WIDTH.check("width", width);
        }

        /** The comparator rule, for this record and for {@link SpAttenConfig#topkComparators}. */
        static void checkComparators(String field, int comparators) {
            if (!COMPARATORS.contains(comparators) || Integer.bitCount(comparators) != 1) {
                throw new IllegalArgumentException(field + " = " + comparators + " is out of range; allowed "
                        + COMPARATORS_ALLOWED);
            }
        }

        /** Rows of P values in each buffer bank set. */
        public int rows() {
            return maxN / comparators;
        }

        /**
         * Cycles of one quick-select round over {@code m} candidates: {@code ceil(m/P) + 3}, one to
         * read the pivot, {@code ceil(m/P)} comparing P candidates each, one to write the last
         * compacted row, one to decide which side to keep.
         */
        public long roundCycles(long m) {
            return ceilDiv(m, comparators) + 3;
        }

        /** Cycles of the output pass over {@code n} values: one row of P keep bits per cycle. */
        public long outputCycles(long n) {
            return ceilDiv(n, comparators);
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static void intRange(String field, int value, int lo, int hi) {
        new Range(lo, hi).check(field, value);
    }
}
