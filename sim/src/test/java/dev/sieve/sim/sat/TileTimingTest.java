package dev.sieve.sim.sat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import org.junit.jupiter.api.Test;

/** The timing contract, one formula per test, with the cycle-by-cycle reasoning that gives it. */
class TileTimingTest {

    @Test
    void lastOutputOfAStepIsCapturedAtPPlusRsDPlusCPlusXMinusTwo() {
        // INT8 (D = 1, X = 2), P = 5 vectors, 4 rows, 3 columns: the last vector (4) enters the last PE
        // (3, 2) at 4 + 3 + 2 = 9; its products meet the partial sum 2 cycles later (11), the sum
        // leaves the PE at the end of 11, and column 2's output register captures it at the end of
        // cycle 4 + 4 + 2 + 2 = 12
        assertEquals(9, TileTiming.multiplyCycle(4, 3, 2, 1));
        assertEquals(12, TileTiming.outputCaptureCycle(4, 4, 2, 1));
        // the step occupies cycles 0 .. 12 inclusive: 13 = P + Rs + C - 1 + X
        assertEquals(TileTiming.outputCaptureCycle(4, 4, 2, 1) + 1, TileTiming.computeCycles(5, 4, 3, 1));
        // BF16, L = 4, 3 adder stages (D = 12): PE (3, 2) takes vector 4 at 4 + 36 + 2
        assertEquals(42, TileTiming.multiplyCycle(4, 3, 2, 12));
        assertEquals(4 + 48 + 2 + 2, TileTiming.outputCaptureCycle(4, 4, 2, 12));
    }

    @Test
    void computeIsPPlusTheFill() {
        assertEquals(32 + 32 + 32 - 1 + 2, TileTiming.computeCycles(32, 32, 32, 1));
        assertEquals(16 + 8 + 32 - 1 + 2, TileTiming.computeCycles(16, 8, 32, 1), "a segment of 8 rows fills in 8");
        SatConfig bf16 = SatConfig.of(16, 16).withFormat(NumberFormat.BF16_FP32).withFpAddStages(3);
        assertEquals(12, bf16.psumLatency(), "L = 4 adders of 3 stages");
        assertEquals(10 + 16 * 12 + 16 - 1 + 2, TileTiming.computeCycles(10, 16, bf16));
        assertEquals(10 + 4 * 4 + 16 - 1 + 2, TileTiming.computeCycles(10, 4, bf16.withFpAddStages(1)));
        assertEquals(1, SatConfig.of(16, 16).withFpAddStages(3).psumLatency(), "INT8 ignores the adder stages");
    }

    @Test
    void doubleBufferedSequenceExposesOnlyTheFirstLoad() {
        // INT8, R = 8, Rs = 8, C = 4: steps of 10 and 1 vectors take 10 + 13 = 23 and max(14, 8) = 14 cycles
        assertEquals(8 + 23 + 14, TileTiming.sequenceCycles(SatConfig.of(8, 4), 8, 10, 1));
    }

    @Test
    void weightLoadBoundsShortSegmentSteps() {
        // R = 8 split into 4 segments of 2, one column, one vector: compute 1 + 2 + 1 - 1 + 2 = 5 < 8
        assertEquals(5, TileTiming.computeCycles(1, 2, 1, 1));
        assertEquals(8, TileTiming.issueCycles(5, 8));
        assertEquals(8 + 8 + 8, TileTiming.sequenceCycles(SatConfig.of(8, 1), 2, 1, 1));
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

    @Test
    void passRuleWaitsForLateDataAndQueuesTheWrites() {
        // R = 4, fill 9, latency 0, accumulate 0. Step 0 (P = 4) reads 8 cycles: its data is in from
        // G = 1 + 1 + 0 + 8 = 10; its rows load 11 .. 14 and it starts at 15, draining at 15 + 4 + 9 = 28.
        // Step 1 reads 100 more: in from G = 110, rows 111 .. 114, start 115 (not 28: it waits for its
        // data); its first output is final at 115 + 9 + 3 = 127, its 4 words end at 131, the response
        // and the return to idle take 2: 133
        TileTiming.PassClock clock = new TileTiming.PassClock(4, 0, 0);
        clock.step(4, 9, 8, 0);
        clock.step(4, 9, 100, 4);
        assertEquals(133, clock.cycles());
        assertEquals(4 + 13 + 13, clock.arrayCycles());
        // with the data there early, the array's own rule binds: step 1 starts at 28, ends writes at
        // 28 + 12 + 4 = 44, busy 46; latency 3 adds 3 before the data and 3 for the response
        TileTiming.PassClock fast = new TileTiming.PassClock(4, 3, 0);
        fast.step(4, 9, 8, 0);
        fast.step(4, 9, 0, 4);
        assertEquals(46 + 6, fast.cycles());
    }

    @Test
    void passRuleWritesEndNoEarlierThanTheLastOutput() {
        // one step of 20 vectors whose writes take 2 cycles in all (a wide port): the last vector's
        // output is final at start + 19 + F + 3, so the writes end one cycle after: start + 20 + F + 3
        TileTiming.PassClock clock = new TileTiming.PassClock(4, 0, 0);
        clock.step(20, 9, 1, 2);
        // G = 3, start = 8, writes end 8 + 20 + 9 + 3 = 40, busy 42
        assertEquals(42, clock.cycles());
    }
}
