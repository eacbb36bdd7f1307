package dev.sieve.sim.spatten;

/**
 * Cost of one layer at one generation step: bytes fetched (dense baseline and actual) for Q, K and V,
 * cycles, and what was kept. Dense bytes are every head's Q/K/V of every token at the full word.
 */
public record LayerStep(int iteration, int layer, int sequenceLength, int headsKept, int headsTotal,
                        long keysFetched, long valuesFetched, int refetches,
                        long qDenseBytes, long qBytes, long kDenseBytes, long kBytes, long vDenseBytes, long vBytes,
                        long cycles, long topkCycles, long hbmCycles) {

    public long denseBytes() {
        return qDenseBytes + kDenseBytes + vDenseBytes;
    }

    public long bytes() {
        return qBytes + kBytes + vBytes;
    }
}
