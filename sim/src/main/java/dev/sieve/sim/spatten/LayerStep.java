package dev.sieve.sim.spatten;

/**
 * Cost of one layer at one generation step (or of a summarization's layer): bytes fetched (dense
 * baseline and actual) for Q, K and V, cycles, and what was kept. Dense bytes are every head's Q/K/V
 * of every token at the full word; {@code fp32DenseBytes} the same at 32-bit floats, the baseline
 * the paper's 10.0x most likely uses.
 * For energy ({@link SpAttenEnergy}): the multiplies of the Q·K and prob·V arrays (recomputed Q·K rows
 * after a refetch included), the bytes written to and read from the on-chip buffers (every fetched
 * byte written once, each multiply's K or V element read), and the top-k comparator operations
 * (the engine's cycles times its P comparators, in-head and cascade selections).
 */
public record LayerStep(int iteration, int layer, int sequenceLength, int headsKept, int headsTotal,
                        long keysFetched, long valuesFetched, int refetches,
                        long qDenseBytes, long qBytes, long kDenseBytes, long kBytes, long vDenseBytes, long vBytes,
                        long cycles, long topkCycles, long hbmCycles,
                        long qkMacs, long pvMacs, long sramBytes, long topkComparisons, long fp32DenseBytes) {

    public long denseBytes() {
        return qDenseBytes + kDenseBytes + vDenseBytes;
    }

    public long bytes() {
        return qBytes + kBytes + vBytes;
    }
}
