package dev.sieve.arch.spatten;

/**
 * Cycles one query occupies each unit of the SpAtten pipeline ({@link SpAttenConfig#queryCost}).
 * The units work on different queries at the same time, with buffers between them (the released
 * design's controller: a FIFO of requests, the K and V buffers, the top-k engine's score FIFO), so a
 * stream of queries advances one query per {@link #interval()} cycles; a query alone takes
 * {@link #latency()}.
 *
 * @param kFetch   HBM cycles of Q and the K MSBs (or whole K words)
 * @param qk       Q·K array cycles for one pass over the keys: {@code ceil(keys·D / qkMultipliers)}
 * @param refetch  cycles of the LSB pass: {@code max(HBM cycles of the LSBs, qk)}; 0 without a refetch
 * @param select   top-k engine occupancy: it takes the scores at Q·K's rate, then selects:
 *                 {@code ceil((qk + selectionCycles) / topkEngines)}; 0 when the query does not select
 * @param selection the engine's cycles after the last score ({@link QueryShape#selectionCycles})
 * @param vFetch   HBM cycles of the kept V rows
 * @param pv       prob·V array cycles: {@code ceil(values·D / pvMultipliers)}
 * @param hbm      HBM cycles of all of the query's bytes (the channels are shared by K and V fetches)
 */
public record QueryCost(long kFetch, long qk, long refetch, long select, long selection, long vFetch, long pv,
                        long hbm) {

    /** Fetch Q/K and score (softmax and the probability check pipelined behind), then the LSB pass if any. */
    public long scoreStage() {
        return Math.max(kFetch, qk) + refetch;
    }

    /** Fetch the kept V rows and multiply them by their probabilities. */
    public long valueStage() {
        return Math.max(vFetch, pv);
    }

    /**
     * Cycles between consecutive queries in a stream: the busiest unit, {@code max(scoreStage,
     * select, valueStage, hbm)}.
     */
    public long interval() {
        return Math.max(Math.max(scoreStage(), select), Math.max(valueStage(), hbm));
    }

    /**
     * Cycles of the query alone, request to output: score, then the selection after the last score
     * (the engine took the scores while they were computed), then fetch and multiply V.
     */
    public long latency() {
        return scoreStage() + (select > 0 ? selection : 0) + valueStage();
    }
}
