package dev.sieve.arch.spatten;

import dev.sieve.arch.Range;

/**
 * The attention pipeline of one query as hardware, derived from {@link SpAttenConfig} in one place
 * ({@link #of}): Q·K on {@code qkMultipliers} multipliers, softmax on {@link #softmaxLanes} lanes,
 * the progressive-quantization decision, local-V selection on the top-k engine
 * ({@link SpAttenConfig#topk}) and prob·V on {@code pvMultipliers} multipliers, for keys of
 * {@code headDim} elements and at most {@code maxN} keys. The arithmetic is
 * {@link AttentionArithmetic}; the generator ({@code dev.sieve.hdl.spatten.SpAttenPipeline}),
 * its golden model and the cost model take this record. Its timing is the cycle model's,
 * {@link SpAttenConfig#queryCost} at the full stream rate ({@link #queryCost}), and a run of queries
 * follows {@link QueryCost#schedule}.
 *
 * @param qkMultipliers P, a power of two: a K beat is P elements, {@code max(1, P/D)} keys
 * @param pvMultipliers Pv, a power of two: a V beat is Pv elements, {@code max(1, Pv/D)} rows
 * @param topk          the top-k engine (its comparators at least {@link #softmaxLanes})
 * @param headDim       D, a power of two in {@link #HEAD_DIM}
 */
public record AttentionPipeline(int qkMultipliers, int pvMultipliers, SpAttenConfig.TopK topk, int headDim) {
    public static final Range HEAD_DIM = new Range(2, 256);
    public static final Range MULTIPLIERS = new Range(1, 4096);
    /** Most keys one query may have (the top-k engine's buffers and the logit memory). */
    public static final int MAX_KEYS = 4096;
    /** Cycles after the last K beat of a pass until the logits and their maximum are complete. */
    public static final int QK_DRAIN = 2;
    /** Cycles after the last softmax read of the exponential pass until the sum is complete. */
    public static final int EXP_DRAIN = 2;
    /** The refetch decision: one cycle. */
    public static final int DECIDE = 1;
    /** Cycles after the last read of the division pass until the last probability is written. */
    public static final int DIV_DRAIN = 15;
    /** The cycle after the engine's last keep-mask row, in which the pipeline sees its {@code done}. */
    public static final int TOPK_HANDOFF = 1;
    /** Cycles after the last V beat until the output is complete. */
    public static final int PV_DRAIN = 2;
    /** The start cycle and the output cycle. */
    public static final int START = 1, OUT = 1;

    public AttentionPipeline {
        powerOfTwo("qk_multipliers", qkMultipliers, MULTIPLIERS);
        powerOfTwo("pv_multipliers", pvMultipliers, MULTIPLIERS);
        powerOfTwo("head_dim", headDim, HEAD_DIM);
        if (topk.width() != AttentionArithmetic.WORD_BITS) {
            throw new IllegalArgumentException("word_bits = " + topk.width() + " is not supported by the attention "
                    + "pipeline; allowed " + AttentionArithmetic.WORD_BITS);
        }
        if (topk.maxN() > MAX_KEYS) {
            throw new IllegalArgumentException("max_n = " + topk.maxN() + " is out of range; allowed a power of two in "
                    + 2 * topk.comparators() + " .. " + MAX_KEYS);
        }
        int lanes = Math.max(1, qkMultipliers / headDim);
        if (topk.comparators() < lanes) {
            throw new IllegalArgumentException("topk_comparators = " + topk.comparators() + " is below the "
                    + lanes + " scores per cycle of Q·K (qk_multipliers / head_dim); allowed " + lanes + " .. "
                    + SpAttenConfig.TopK.COMPARATORS.max());
        }
    }

    /** The pipeline of {@code hw} for keys of {@code headDim} elements and at most {@code maxN} keys. */
    public static AttentionPipeline of(SpAttenConfig hw, int headDim, int maxN) {
        return new AttentionPipeline(hw.qkMultipliers(), hw.pvMultipliers(), hw.topk(maxN), headDim);
    }

    public int maxN() {
        return topk.maxN();
    }

    /** Keys a K beat holds, {@code max(1, P/D)}; also the softmax lanes. */
    public int keysPerBeat() {
        return Math.max(1, qkMultipliers / headDim);
    }

    /** K beats per key, {@code max(1, D/P)}. */
    public int beatsPerKey() {
        return Math.max(1, headDim / qkMultipliers);
    }

    /** Softmax lanes S: exponentials and divisions per cycle, equal to the scores per cycle of Q·K. */
    public int softmaxLanes() {
        return keysPerBeat();
    }

    /** V rows a V beat holds, {@code max(1, Pv/D)}. */
    public int rowsPerBeat() {
        return Math.max(1, pvMultipliers / headDim);
    }

    /** V beats per row, {@code max(1, D/Pv)}. */
    public int beatsPerRow() {
        return Math.max(1, headDim / pvMultipliers);
    }

    /** K beats of one Q·K pass over {@code n} keys. */
    public long kBeats(int n) {
        return ceilDiv(n, keysPerBeat()) * beatsPerKey();
    }

    /** V beats for {@code rows} rows. */
    public long vBeats(int rows) {
        return ceilDiv(rows, rowsPerBeat()) * beatsPerRow();
    }

    /** Whether a query of {@code n} keys keeping {@code k} values runs the top-k engine: {@code k < n}. */
    public static boolean selects(int n, int k) {
        return k < n;
    }

    /**
     * This pipeline as the cycle model's hardware with streams that never wait: HBM of 1024
     * channels of 4096 B/cycle, so every fetch term of {@link SpAttenConfig#queryCost} is below the
     * array it feeds and the stage times are the RTL's.
     */
    public SpAttenConfig fullRate() {
        return new SpAttenConfig(qkMultipliers, pvMultipliers, topk.comparators(), 1, 1024, 1024, 1024, 4096,
                AttentionArithmetic.WORD_BITS, 1.0);
    }

    /**
     * The stage times of a query of {@code n} keys keeping {@code k} values, refetching or not, with
     * {@code topkCycles} the engine's selection from its start cycle to its last keep-mask row
     * ({@code TopKEngineModel.Selection.totalCycles()}; ignored when {@code k >= n}): the one rule,
     * {@link SpAttenConfig#queryCost}, at the full stream rate ({@link #fullRate}).
     */
    public QueryCost queryCost(int n, int k, boolean refetch, long topkCycles) {
        int w = AttentionArithmetic.WORD_BITS;
        boolean selects = selects(n, k);
        return fullRate().queryCost(new QueryShape(headDim, n, Math.min(k, n), refetch ? w - 4 : w, refetch ? 4 : 0,
                w, w, selects ? topkCycles : 0));
    }

    /**
     * Cycles of one query alone from its start cycle to its output cycle, both included, with the K
     * and V streams delivering a beat every cycle the pipeline is ready and the output taken at once
     * ({@link QueryCost#latency} of {@link #queryCost}):
     * <pre>
     *   START + passes · (kBeats(n) + QK_DRAIN + 1 + ceil(n/S) + EXP_DRAIN + DECIDE)  Q·K, softmax
     *     + 1 + ceil(n/S) + DIV_DRAIN + [topkCycles + TOPK_HANDOFF]                   select
     *     + vBeats(min(k, n)) + PV_DRAIN + OUT                                        value
     *     + 1
     * </pre>
     * with {@code passes = 2} when the query refetches its LSBs, {@code S} the softmax lanes (the
     * bracket is 0 when {@code k >= n}, which needs no selection); the 1 in each pass is the Q·K
     * stage's hand-off (first pass) or the refetch's wait cycle (second), the other 1s the hand-offs
     * into select and value.
     */
    public long queryCycles(int n, int k, boolean refetch, long topkCycles) {
        return queryCost(n, k, refetch, topkCycles).latency();
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static void powerOfTwo(String field, int value, Range range) {
        if (!range.contains(value) || Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException(field + " = " + value + " is out of range; allowed a power of two in "
                    + range);
        }
    }
}
