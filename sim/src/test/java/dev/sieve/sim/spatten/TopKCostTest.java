package dev.sieve.sim.spatten;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Top-k costs come from the engine's own algorithm; the no-engine baseline is a P-wide merge sort. */
class TopKCostTest {

    private final TopKCost cost = new TopKCost(16);

    @Test
    void engineMeanForN1024K128IsThePapers221PlusTheOutputPass() {
        // ceil(n/16) + 3 per quick-select round, ~221 on average (SpAtten), then 1024/16 = 64 output rows
        assertEquals(221 + 64, cost.engineCycles(1024, 128), 0.1 * 221);
    }

    @Test
    void keepingEverythingNeedsNoSelection() {
        assertEquals(0, cost.engineCycles(100, 100));
        assertEquals(0, cost.sortCycles(100, 100));
    }

    @Test
    void sortBaselineIsNLog2NOverP() {
        assertEquals(1024 * 10 / 16, cost.sortCycles(1024, 128));
    }
}
