package dev.sieve.sim.spatten;

/**
 * Cost of one layer at one generation step (or of a summarization's layer): bytes fetched (dense
 * baseline and actual) for Q, K and V, cycles, and what was kept. Dense bytes are every head's Q/K/V
 * of every token at the full word; {@code fp32DenseBytes} the same at 32-bit floats, the baseline
 * the paper's 10.0x most likely uses.
 * For energy ({@link SpAttenEnergy}): the multiplies of the Q·K and prob·V arrays (recomputed Q·K rows
 * after a refetch included), the bytes written to and read from the on-chip buffers (every fetched
 * byte written once, each multiply's K or V element read), and the top-k comparator operations
 * (the engine's cycles times its P comparators, in-head and cascade selections). {@code bound}: which
 * unit set each query's interval.
 */
public record LayerStep(int iteration, int layer, int sequenceLength, int headsKept, int headsTotal,
                        long keysFetched, long valuesFetched, int refetches,
                        long qDenseBytes, long qBytes, long kDenseBytes, long kBytes, long vDenseBytes, long vBytes,
                        long cycles, long topkCycles, long hbmCycles,
                        long qkMacs, long pvMacs, long sramBytes, long topkComparisons, long fp32DenseBytes,
                        Bound bound) {

    /**
     * The queries' (or summarization heads') intervals summed by the unit that set them: the score
     * stage (fetch Q/K, Q·K, refetch), the top-k engine, the value stage (fetch V, prob·V), or HBM
     * shared by all fetches ({@link dev.sieve.arch.spatten.QueryCost#interval}).
     */
    public record Bound(long score, long topk, long value, long hbm) {
        public static final Bound NONE = new Bound(0, 0, 0, 0);

        public Bound plus(Bound o) {
            return new Bound(score + o.score, topk + o.topk, value + o.value, hbm + o.hbm);
        }

        public long total() {
            return score + topk + value + hbm;
        }
    }

    public long denseBytes() {
        return qDenseBytes + kDenseBytes + vDenseBytes;
    }

    public long bytes() {
        return qBytes + kBytes + vBytes;
    }
}
