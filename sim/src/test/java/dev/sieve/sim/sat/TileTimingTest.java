package dev.sieve.sim.sat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void overlappedStepsExposeOnlyTheFirstLoadAndTheLastFill() {
        // INT8, R = 8, Rs = 8, C = 4, D = 1, F = 13. Step 0 loads rows in cycles 0 .. 7 and starts at 8
        // instantly (the whole shadow free again), step 1's rows load 8 .. 15, and it follows step 0's
        // last vector at 18 = 8 + max(10, 8). Step 1 started with the switch wave: PE (r, 3) takes row r
        // in cycle 18 + r + 3, so row 7 of step 2 loads in 28 and step 2 starts at 29 = 18 + max(1,
        // reload = 4 + 7); its one vector's output shows 13 cycles later, in cycle 42
        assertEquals(11, TileTiming.reloadCycles(SatConfig.of(8, 4), 8));
        assertEquals(8 + 10 + 1 + 13, TileTiming.sequenceCycles(SatConfig.of(8, 4), 8, 10, 1));
        assertEquals(8 + 10 + 11 + 1 + 13, TileTiming.sequenceCycles(SatConfig.of(8, 4), 8, 10, 1, 1));
        // a long step hides the reload: the next one follows its last vector
        assertEquals(8 + 30 + 1 + 13, TileTiming.sequenceCycles(SatConfig.of(8, 4), 8, 30, 1));
        // a step that does not overlap waits for the previous step's drain, 10 + 13 after its start; so
        // does the step after it, whose weights had the whole shadow from that instant start
        TileTiming.ArrayClock clock = new TileTiming.ArrayClock(SatConfig.of(8, 4));
        clock.step(10, 8, false);
        clock.step(10, 8, false);
        clock.step(1, 8, true);
        assertEquals(8 + 23 + 10 + 1 + 13, clock.cycles());
        assertTrue(TileTiming.overlaps(1, 8, SatConfig.of(8, 4)), "one segment: always");
    }

    @Test
    void bf16FillOverlapsThePreviousDrain() {
        // 16 x 16 BF16, L = 4, 3 adder stages: D = 12, F = 16 x 12 + 15 + 2 = 209; after a wave start row
        // r frees 12 r + 15 cycles later, so the shadow is full after reload = 16 + 12 x 15 = 196 cycles.
        // Three steps of 100 vectors: the second follows the first (instant) after max(100, 16), the
        // third the second after max(100, 196): 16 + 100 + 196 + 100 + 209 (each step's own P + F
        // before: 16 + 3 x 309 = 943)
        SatConfig bf16 = SatConfig.of(16, 16).withFormat(NumberFormat.BF16_FP32).withFpAddStages(3);
        assertEquals(209, bf16.fillCycles(16));
        assertEquals(196, TileTiming.reloadCycles(bf16, 16));
        assertEquals(12 * 15 + 15, TileTiming.rowFreeCycle(bf16, 16, 15));
        assertEquals(16 + 100 + 196 + 100 + 209, TileTiming.sequenceCycles(bf16, 16, 100, 100, 100));
        // steps of 300 vectors follow each other back to back: the fill is paid once
        assertEquals(16 + 4 * 300 + 209, TileTiming.sequenceCycles(bf16, 16, 300, 300, 300, 300));
    }

    @Test
    void weightLoadBoundsShortSegmentSteps() {
        // R = 8 split into 4 segments of 2, one column, one vector: compute 1 + 2 + 1 - 1 + 2 = 5. After
        // a wave start row r frees r mod 2 cycles later (rows 0, 2, 4, 6 at once, the others one later),
        // rows load in order one per cycle, so the shadow is full after reload = 8 cycles; an instant
        // start after the drain frees it at once, also 8 (= R): overlapping does not pay, max(1, 8) is
        // not below max(5, 8)
        assertEquals(5, TileTiming.computeCycles(1, 2, 1, 1));
        assertEquals(8, TileTiming.reloadCycles(SatConfig.of(8, 1), 2));
        assertFalse(TileTiming.overlaps(1, 2, SatConfig.of(8, 1)));
        assertEquals(8, TileTiming.issueCycles(1, 2, SatConfig.of(8, 1)));
        assertEquals(8 + 8 + 5, TileTiming.sequenceCycles(SatConfig.of(8, 1), 2, 1, 1));
    }

    @Test
    void shortStepsOnManySegmentsStartInstantly() {
        // 32 x 32 INT8 with 4 segments of 8 rows: F = 8 + 31 + 2 = 41, reload = 32 + 7 + 24 = 63 (rows
        // 8 .. 31 wait for rows 0 .. 7 in the load order). One-vector steps (a batch-1 FC layer): a wave
        // would space them 63 apart, an instant start after the drain 1 + 41 = 42, so on the array they
        // do not overlap; from P = 23 on (max(23, 63) < 23 + 41) the array's rule would overlap them,
        // but a pass overlaps steps only with one segment (the output buffer's merge chain), so its
        // steps of 23 vectors are still spaced P + F = 64 apart
        SatConfig cfg = SatConfig.of(32, 32);
        assertEquals(41, cfg.fillCycles(8));
        assertEquals(63, TileTiming.reloadCycles(cfg, 8));
        assertFalse(TileTiming.overlaps(1, 8, cfg));
        assertEquals(42, TileTiming.issueCycles(1, 8, cfg));
        assertFalse(TileTiming.overlaps(22, 8, cfg));
        assertTrue(TileTiming.overlaps(23, 8, cfg));
        assertFalse(TileTiming.stepsOverlap(23, 8, cfg));
        assertTrue(TileTiming.stepsOverlap(23, 32, cfg), "one segment: always");
        assertEquals(23 + 41, TileTiming.issueCycles(23, 8, cfg));
        assertEquals(32 + 2 * 42 + 1 + 41, TileTiming.sequenceCycles(cfg, 8, 1, 1, 1));
        assertEquals(32 + 2 * 64 + 23 + 41, TileTiming.sequenceCycles(cfg, 8, 23, 23, 23));
    }

    @Test
    void passWithSegmentsWaitsForTheDrainAndPaysTheMergeChain() {
        // 8 x 4 BF16, L = 4, 3 adder stages, accumulate latency A: 2 segments of 4 rows, D = 12,
        // F = 4 x 12 + 3 + 2 = 53, merge latency 2 A. Latency 0, two steps of 10 vectors, step 0 reads 8
        // cycles (in from G = 10, rows 11 .. 18, start 19), step 1 reads nothing: its rows load 19 .. 26
        // (instant start frees the shadow), but it waits for step 0's drain: start 19 + 10 + 53 = 82
        // (with one segment it would follow step 0's last vector). Its first output is final at
        // 82 + 53 + 3 + 2 A, its 10 words end 10 later, the response adds 2
        SatConfig cfg = SatConfig.of(8, 4).withFormat(NumberFormat.BF16_FP32).withFpAddStages(3);
        int a = cfg.accumulateLatency();
        assertEquals(53, cfg.fillCycles(4));
        TileTiming.PassClock clock = new TileTiming.PassClock(cfg, 4, 0, TileTiming.mergeLatency(cfg, 2));
        clock.step(10, 8, 0);
        clock.step(10, 0, 10);
        assertEquals(82 + 53 + 3 + 2 * a + 10 + 2, clock.cycles());
        assertEquals(8 + 10 + 53 + 10 + 53, clock.arrayCycles());
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
        // R = C = 4 INT8: fill 9, reload 7, latency 0, accumulate 0. Step 0 (P = 4) reads 8 cycles: its
        // data is in from G = 1 + 1 + 0 + 8 = 10; its rows load 11 .. 14 and it starts at 15. Step 1 reads
        // 100 more: in from G = 110, rows 111 .. 114, start 115 (not 15 + max(4, 7): it waits for its
        // data); its first output is final at 115 + 9 + 3 = 127, its 4 words end at 131, the response
        // and the return to idle take 2: 133
        SatConfig cfg = SatConfig.of(4, 4);
        TileTiming.PassClock clock = new TileTiming.PassClock(cfg, 4, 0, 0);
        clock.step(4, 8, 0);
        clock.step(4, 100, 4);
        assertEquals(133, clock.cycles());
        assertEquals(4 + 4 + 4 + 9, clock.arrayCycles());
        // with the data there early, the array's own rule binds. Latency 3: step 0's data is in from 13,
        // it starts (instantly) at 18, step 1's rows load 18 .. 21 and it starts at 22, its writes run
        // 22 + 12 = 34 .. 38, and the response adds 2 + 3: 43. A third step of 4 vectors waits for the
        // wave of step 1: row r frees at 22 + r + 3, row 3 loads at 28, start 29, writes 41 .. 45: 50
        TileTiming.PassClock fast = new TileTiming.PassClock(cfg, 4, 3, 0);
        fast.step(4, 8, 0);
        fast.step(4, 0, 4);
        assertEquals(43, fast.cycles());
        fast.step(4, 0, 4);
        assertEquals(50, fast.cycles());
    }

    @Test
    void passRuleWritesEndNoEarlierThanTheLastOutput() {
        // one step of 20 vectors whose writes take 2 cycles in all (a wide port): the last vector's
        // output is final at start + 19 + F + 3, so the writes end one cycle after: start + 20 + F + 3
        TileTiming.PassClock clock = new TileTiming.PassClock(SatConfig.of(4, 4), 4, 0, 0);
        clock.step(20, 1, 2);
        // G = 3, start = 8, writes end 8 + 20 + 9 + 3 = 40, busy 42
        assertEquals(42, clock.cycles());
    }
}
