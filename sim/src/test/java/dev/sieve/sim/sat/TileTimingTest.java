package dev.sieve.sim.sat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The timing contract, one formula per test, with the cycle-by-cycle reasoning that gives it. */
class TileTimingTest {

    @Test
    void lastOutputOfAStepIsCapturedAtPPlusRsPlusCMinusTwo() {
        // P = 5 vectors, 4 rows, 3 columns: the last vector (4) is multiplied in the last PE (3, 2) at
        // 4 + 3 + 2 = 9 and captured by column 2's output register at the end of cycle 4 + 4 + 2 = 10
        assertEquals(9, TileTiming.multiplyCycle(4, 3, 2));
        assertEquals(10, TileTiming.outputCaptureCycle(4, 4, 2));
        // the step occupies cycles 0 .. 10 inclusive: 11 = P + Rs + C - 1
        assertEquals(TileTiming.outputCaptureCycle(4, 4, 2) + 1, TileTiming.computeCycles(5, 4, 3));
    }

    @Test
    void computeIsPPlusRsPlusCMinusOne() {
        assertEquals(32 + 32 + 32 - 1, TileTiming.computeCycles(32, 32, 32));
        assertEquals(16 + 8 + 32 - 1, TileTiming.computeCycles(16, 8, 32), "a segment of 8 rows fills in 8");
    }

    @Test
    void doubleBufferedSequenceExposesOnlyTheFirstLoad() {
        // R = 8, Rs = 8, C = 4: steps of 10 and 1 vectors take 21 and max(12, 8) = 12 cycles
        assertEquals(8 + 21 + 12, TileTiming.sequenceCycles(8, 8, 4, 10, 1));
    }

    @Test
    void weightLoadBoundsShortSegmentSteps() {
        // R = 8 split into 4 segments of 2, one column, one vector: compute 1 + 2 + 1 - 1 = 3 < 8
        assertEquals(3, TileTiming.computeCycles(1, 2, 1));
        assertEquals(8, TileTiming.issueCycles(3, 8));
        assertEquals(8 + 8 + 8, TileTiming.sequenceCycles(8, 2, 1, 1, 1));
    }

    @Test
    void dramStallIsTheExcessOverTheStep() {
        assertEquals(3, TileTiming.dramCycles(257, 128));
        assertEquals(0, TileTiming.dramCycles(0, 128));
        assertEquals(2, TileTiming.dramCycles(256, 128));
        assertEquals(0, TileTiming.stallCycles(20, 27));
        assertEquals(5, TileTiming.stallCycles(32, 27));
    }

    @Test
    void kPerPeAndPregen() {
        assertEquals(4, TileTiming.kPerPe(4, 1, 1, true));
        assertEquals(16, TileTiming.kPerPe(4, 2, 8, false));
        assertEquals(32, TileTiming.kPerPe(4, 1, 8, false));
        assertEquals(4, TileTiming.pregenCycles(100, 32));
    }
}
