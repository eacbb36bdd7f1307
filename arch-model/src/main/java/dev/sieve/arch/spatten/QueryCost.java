package dev.sieve.arch.spatten;

import java.util.List;

/**
 * Cycles one query spends in each stage of the SpAtten attention pipeline
 * ({@link SpAttenConfig#queryCost}), the one timing rule of the cycle model and of the pipeline RTL
 * ({@code dev.sieve.hdl.spatten.SpAttenPipeline}). The pipeline has four stages that work on
 * consecutive queries at the same time, as the released design's units do (Q·K, softmax, top-k and
 * prob·V are joined by streams and buffers, so Q·K of one query runs while earlier queries are in
 * softmax, top-k and prob·V):
 * <ol>
 *   <li><b>Q·K</b> ({@link #qkPass}): the start cycle, the K stream into the Q·K array
 *       ({@code max(fetch, qk)}) and the logits' drain.</li>
 *   <li><b>softmax</b> ({@link #exp}): the exponential pass and the refetch decision. A refetch
 *       waits one cycle, and until the Q·K array is free (the next query's pass, if one started,
 *       finishes first), then runs its second Q·K pass with the K LSBs ({@link #refetchPass}) and a
 *       second exponential pass; no new query starts while the refetch waits or uses the array.</li>
 *   <li><b>select</b> ({@link #select}): the division pass of the softmax, whose probabilities
 *       fill the top-k engine as they are made, then the engine's selection; the engine serves one
 *       query at a time, fill then select, as the released QuickSelect does.</li>
 *   <li><b>value</b> ({@link #value}): the kept V rows into the prob·V array ({@code max(fetch, pv)}),
 *       its drain and the output cycle.</li>
 * </ol>
 * Each stage hands its query to the next in a cycle of its own once the next stage is idle (three
 * logit banks between Q·K, softmax and select, two probability banks between select and value). A
 * run of queries issued back to back follows {@link #schedule}; {@link #interval} and the stage
 * occupancies are steady-state bounds for reports.
 *
 * @param kFetch    HBM cycles of Q and the K MSBs (or whole K words)
 * @param qk        K beats of one Q·K pass: {@code ceil(keys·D / qkMultipliers)}
 * @param softmax   cycles of a pass after its K beats: logit drain ({@link AttentionPipeline#QK_DRAIN}),
 *                  exponential pass over {@code ceil(keys/S)} rows of S lanes, sum drain, decision
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

    /** Cycles of the first Q·K pass after the start cycle: K beats and the logits' drain. */
    public long qkPass() {
        return Math.max(kFetch, qk) + AttentionPipeline.QK_DRAIN;
    }

    /** Cycles of the refetch's Q·K pass (K LSBs): K beats and the drain; 0 without a refetch. */
    public long refetchPass() {
        return passes > 1 ? Math.max(lsbFetch, qk) + AttentionPipeline.QK_DRAIN : 0;
    }

    /** Cycles of one softmax pass: the exponential pass, the sum's drain and the decision cycle. */
    public long exp() {
        return softmax - AttentionPipeline.QK_DRAIN;
    }

    /**
     * Cycles from the start cycle to the first cycle the softmax stage offers the query to the
     * select stage, the query alone: {@code START + qkPass + exp + 1} (the Q·K stage hands off in
     * its first done cycle, the softmax stage's pass starts the cycle after), and with a refetch
     * {@code + refetchPass + exp + 1} (the decision's wait cycle, when the array is free).
     */
    public long score() {
        long one = AttentionPipeline.START + qkPass() + exp() + 1;
        return passes > 1 ? one + refetchPass() + exp() + 1 : one;
    }

    /** Cycles from the hand-off into the select stage to the first cycle it offers the query on. */
    public long select() {
        return 1 + divide + (selects ? selection + AttentionPipeline.TOPK_HANDOFF : 0);
    }

    /** Cycles from the hand-off into the value stage to the output cycle. */
    public long value() {
        return Math.max(vFetch, pv) + AttentionPipeline.PV_DRAIN + AttentionPipeline.OUT;
    }

    /**
     * Cycles the Q·K array is occupied by the query: its start, pass and hand-off cycle, and for a
     * refetch the cycle it is claimed and the second pass.
     */
    public long qkStage() {
        long first = AttentionPipeline.START + qkPass() + 1;
        return passes > 1 ? first + 1 + refetchPass() : first;
    }

    /** Cycles the softmax stage is occupied by the query alone, to and with its hand-off cycle. */
    public long softmaxStage() {
        return passes > 1 ? 2 * exp() + 2 + refetchPass() + 1 : exp() + 1;
    }

    /** The busier of the Q·K array and the softmax stage (the two stages that score a query). */
    public long scoreStage() {
        return Math.max(qkStage(), softmaxStage());
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
     * Cycles between consecutive equal queries in a stream, a bound for reports: the busiest
     * stage, or HBM shared by all fetches,
     * {@code max(qkStage, softmaxStage, ceil(selectStage / engines), valueStage, hbm)}.
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
     * when null, the cycle after the Q·K stage handed off query j - 1, the first at 0) and
     * <pre>
     *   a_j = max(s_j + START + qkPass_j, f_{j-1} + 1)      hand-off Q·K → softmax (softmax idle)
     *   without a refetch:  d_j = a_j + exp_j + 1             softmax offers the query
     *   with a refetch:     w_j = a_j + exp_j + 1             the decision's wait cycle
     *                       r_j = max(w_j, s_{j+1} + START + qkPass_{j+1})  if s_{j+1} < w_j, else w_j
     *                       d_j = r_j + refetchPass_j + exp_j + 1
     *   f_j = max(d_j, g_{j-E} + 1)                         hand-off softmax → select (select idle)
     *   g_j = max(f_j + select_j, o_{j-1} + 1)              hand-off select → value (value idle)
     *   o_j = g_j + value_j                                  output cycle
     * </pre>
     * ({@code r_j}: the refetch claims the Q·K array in the first cycle it waits with no pass of
     * the next query running; a query started before {@code w_j} finishes its pass first.) With E =
     * {@link #engines} select stages taking queries in turn (the RTL has one). This is the
     * pipeline's timing exactly when every stream delivers a beat each cycle it is ready and the
     * output is taken at once; the cycle model adds HBM through the fetch terms.
     *
     * @return {@code [starts..., outputs...]}: start cycles then output cycles, {@code 2·q} values
     */
    public static long[] schedule(List<QueryCost> queries, long[] starts) {
        int q = queries.size();
        long[] r = new long[2 * q];
        long[] g = new long[q];
        long f = -1, o = -1;
        long s = 0;
        long a = 0;
        for (int j = 0; j < q; j++) {
            QueryCost c = queries.get(j);
            s = starts != null ? starts[j] : (j == 0 ? 0 : a + 1);
            a = Math.max(s + AttentionPipeline.START + c.qkPass(), f + 1);
            long d = a + c.exp() + 1;
            if (c.passes() > 1) {
                long wait = d;
                long claim = wait;
                if (j + 1 < q) {
                    long next = starts != null ? starts[j + 1] : a + 1;
                    if (next < wait) {
                        claim = Math.max(wait, next + AttentionPipeline.START + queries.get(j + 1).qkPass());
                    }
                }
                d = claim + c.refetchPass() + c.exp() + 1;
            }
            int e = c.engines();
            f = Math.max(d, j < e ? Long.MIN_VALUE : g[j - e] + 1);
            g[j] = Math.max(f + c.select(), j == 0 ? Long.MIN_VALUE : o + 1);
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
