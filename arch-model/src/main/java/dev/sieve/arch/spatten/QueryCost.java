package dev.sieve.arch.spatten;

import java.util.List;

/**
 * Cycles one query spends in each stage of the SpAtten attention pipeline
 * ({@link SpAttenConfig#queryCost}), the one timing rule of the cycle model and of the pipeline RTL
 * ({@code dev.sieve.hdl.spatten.SpAttenPipeline}). The pipeline has three stages that work on
 * consecutive queries at the same time, as the released design's controller does (its units are
 * joined by streams and buffers, so Q·K of one query runs while earlier queries are in softmax,
 * top-k and prob·V):
 * <ol>
 *   <li><b>score</b> ({@link #score}): the start cycle, then per pass the K stream into the Q·K
 *       array ({@code max(fetch, qk)}), the logits' drain, the exponential pass of the softmax and
 *       the refetch decision; a refetch runs a second pass with the K LSBs.</li>
 *   <li><b>select</b> ({@link #select}): the division pass of the softmax, whose probabilities
 *       fill the top-k engine as they are made, then the engine's selection; the engine serves one
 *       query at a time, fill then select, as the released QuickSelect does.</li>
 *   <li><b>value</b> ({@link #value}): the kept V rows into the prob·V array ({@code max(fetch, pv)}),
 *       its drain and the output cycle.</li>
 * </ol>
 * Each stage hands its query to the next in a cycle of its own once the next stage is idle
 * (two logit banks and two probability banks sit between the stages), so a stage is occupied one
 * cycle more than its work: {@link #scoreStage}, {@link #selectStage}, {@link #valueStage}. A run of
 * queries issued back to back follows {@link #schedule}.
 *
 * @param kFetch    HBM cycles of Q and the K MSBs (or whole K words)
 * @param qk        K beats of one Q·K pass: {@code ceil(keys·D / qkMultipliers)}
 * @param softmax   cycles of a pass after its K beats: logit drain, exponential pass over
 *                  {@code ceil(keys/S)} rows of S lanes, sum drain, decision
 * @param lsbFetch  HBM cycles of the K LSBs of a refetch; 0 without one
 * @param passes    1, or 2 when the query refetches its LSBs
 * @param divide    cycles of the division pass: {@code ceil(keys/S)} reads and the divider's drain
 * @param selection the engine's cycles from its start to its last keep-mask row ({@link QueryShape#selectionCycles})
 * @param selects   whether the query runs the engine ({@code values < keys})
 * @param vFetch    HBM cycles of the kept V rows
 * @param pv        V beats: {@code ceil(values·D / pvMultipliers)}
 * @param hbm       HBM cycles of all of the query's bytes (the channels are shared by K and V fetches)
 * @param engines   select stages (each with its top-k engine) taking queries in turn; the RTL has 1
 */
public record QueryCost(long kFetch, long qk, long softmax, long lsbFetch, int passes, long divide, long selection,
                        boolean selects, long vFetch, long pv, long hbm, int engines) {

    /** Cycles from the start cycle to the first cycle the score stage offers the query to the select stage. */
    public long score() {
        long pass1 = Math.max(kFetch, qk) + softmax;
        long pass2 = passes > 1 ? Math.max(lsbFetch, qk) + softmax : 0;
        return AttentionPipeline.START + pass1 + pass2;
    }

    /** Cycles from the hand-off into the select stage to the first cycle it offers the query on. */
    public long select() {
        return 1 + divide + (selects ? selection + AttentionPipeline.TOPK_HANDOFF : 0);
    }

    /** Cycles from the hand-off into the value stage to the output cycle. */
    public long value() {
        return Math.max(vFetch, pv) + AttentionPipeline.PV_DRAIN + AttentionPipeline.OUT;
    }

    /** Cycles the score stage is occupied by the query: its work and the hand-off cycle. */
    public long scoreStage() {
        return score() + 1;
    }

    /** Cycles the select stage (and the top-k engine) is occupied: its work and the hand-off cycle. */
    public long selectStage() {
        return select() + 1;
    }

    /** Cycles the value stage is occupied: its work and the cycle after the output. */
    public long valueStage() {
        return value() + 1;
    }

    /**
     * Cycles between consecutive equal queries in a stream: the busiest stage, or HBM shared by all
     * fetches, {@code max(scoreStage, ceil(selectStage / engines), valueStage, hbm)}.
     */
    public long interval() {
        long select = (selectStage() + engines - 1) / engines;
        return Math.max(Math.max(scoreStage(), select), Math.max(valueStage(), hbm));
    }

    /** Cycles of the query alone, its start cycle to its output cycle, both included. */
    public long latency() {
        return score() + select() + value() + 1;
    }

    /**
     * Output cycles of queries run back to back. Query j starts at {@code starts[j]} (given, or
     * when null, the cycle after the score stage handed off query j - 1, the first at 0) and
     * <pre>
     *   h_j = max(s_j + score_j, g_{j-E} + 1)     hand-off score → select (its select stage idle)
     *   g_j = max(h_j + select_j, o_{j-1} + 1)    hand-off select → value (value idle)
     *   o_j = g_j + value_j                        output cycle
     * </pre>
     * with E = {@link #engines} select stages taking queries in turn (the RTL has one). This is the
     * pipeline's timing exactly when every stream delivers a beat each cycle it is
     * ready and the output is taken at once; the cycle model adds HBM through the fetch terms.
     *
     * @return {@code [starts..., outputs...]}: start cycles then output cycles, {@code 2·q} values
     */
    public static long[] schedule(List<QueryCost> queries, long[] starts) {
        int q = queries.size();
        long[] r = new long[2 * q];
        long[] g = new long[q];
        long h = -1, o = -1;
        for (int j = 0; j < q; j++) {
            QueryCost c = queries.get(j);
            long s = starts != null ? starts[j] : (j == 0 ? 0 : h + 1);
            int e = c.engines();
            h = Math.max(s + c.score(), j < e ? Long.MIN_VALUE : g[j - e] + 1);
            g[j] = Math.max(h + c.select(), j == 0 ? Long.MIN_VALUE : o + 1);
            o = g[j] + c.value();
            r[j] = s;
            r[q + j] = o;
        }
        return r;
    }

    /** Cycles of a run of queries issued back to back ({@link #schedule}): first start to last output, both included. */
    public static long runCycles(List<QueryCost> queries) {
        if (queries.isEmpty()) {
            return 0;
        }
        long[] r = schedule(queries, null);
        return r[2 * queries.size() - 1] + 1;
    }
}
