package dev.sieve.arch.spatten;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SpAttenConfig holds the paper's hardware, its top-k engine, and rejects bad values naming field, value and range. */
class SpAttenConfigTest {

    @Test
    void paperHardwareFetches512BytesPerCycle() {
        SpAttenConfig c = SpAttenConfig.paper();
        assertEquals(16 * 32, c.hbmBytesPerCycleTotal(), "16 HBM channels x 32 B per cycle");
        assertEquals(8, c.qkMultipliers() / 64, "8 keys per cycle at head dim 64");
    }

    @Test
    void badComparatorsAreRejectedByTheOneRuleUnderEachFieldName() {
        assertEquals("topk_comparators = 12 is out of range; allowed a power of two in 2 .. 64",
                assertThrows(IllegalArgumentException.class, () -> new SpAttenConfig(512, 512, 12, 1, 1 << 17, 1 << 17,
                        16, 32, 12, 1.0)).getMessage());
        assertEquals("comparators = 12 is out of range; allowed a power of two in 2 .. 64",
                assertThrows(IllegalArgumentException.class, () -> new SpAttenConfig.TopK(12, 1024, 12)).getMessage());
        assertEquals("comparators = 128 is out of range; allowed a power of two in 2 .. 64",
                assertThrows(IllegalArgumentException.class, () -> new SpAttenConfig.TopK(128, 1024, 12)).getMessage());
        assertEquals("max_n = 16 is out of range; allowed a power of two in 32 .. 65536",
                assertThrows(IllegalArgumentException.class, () -> new SpAttenConfig.TopK(16, 16, 12)).getMessage());
        assertEquals("width = 33 is out of range; allowed 1 .. 32",
                assertThrows(IllegalArgumentException.class, () -> new SpAttenConfig.TopK(16, 1024, 33)).getMessage());
    }

    @Test
    void theTopKEngineIsDerivedFromTheHardware() {
        SpAttenConfig.TopK e = SpAttenConfig.paper().topk(1024);
        assertEquals(new SpAttenConfig.TopK(16, 1024, 12), e, "16 comparators, 12-bit words");
        assertEquals(64, e.rows(), "1024 / 16");
    }

    @Test
    void aRoundCostsCeilMOverPPlusThreeCycles() {
        // the paper: each quick-select round costs ceil(n/16) + 3 cycles
        SpAttenConfig.TopK e = SpAttenConfig.paper().topk(1024);
        assertEquals(1024 / 16 + 3, e.roundCycles(1024));
        assertEquals(1 + 3, e.roundCycles(1));
        assertEquals(7 + 3, e.roundCycles(100), "ceil(100 / 16) = 7");
        assertEquals(7, e.outputCycles(100));
    }

    @Test
    void presetsAreThePapersFullScaleAndTheReleasedDefaultRun() {
        assertEquals(SpAttenConfig.paper(), SpAttenConfig.preset("spatten"));
        SpAttenConfig e = SpAttenConfig.preset("spatten-1/8");
        assertEquals(64, e.qkMultipliers(), "run_spatten_hardware.py --num_multipliers 64");
        assertEquals(64, e.pvMultipliers());
        assertEquals(2, e.hbmChannels(), "16 channels / --bandwidth_downsample 8");
        assertEquals(16, e.topkComparators(), "the test bench's top-k latency at --topk_parallelism 16");
        assertEquals(1, e.qkMultipliers() / 64, "one softmax unit: one key per cycle at head dim 64");
        assertEquals("hardware preset 'big' is unknown; allowed: spatten, spatten-1/8",
                assertThrows(IllegalArgumentException.class, () -> SpAttenConfig.preset("big")).getMessage());
    }

    /** 1024 keys at 6-bit MSBs with a 4-bit LSB refetch, 128 values at 6 bits, Q at 12 bits, 100 selection cycles. */
    private static final QueryShape SHAPE = new QueryShape(64, 1024, 128, 6, 4, 6, 12, 100);

    @Test
    void aQueryAtFullScale() {
        // Q.K: 1024 x 64 / 512 = 128 beats; 8 softmax lanes: 128 rows a pass. K fetch: 96 + 1024 x 48 = 49,248 B =
        // 1,539 bursts of 32 B over 16 channels = 97 (< 128). LSBs: 1024 x 32 B = 1,024 bursts = 64 (< 128). V: 128 x 48 B
        // = 192 bursts = 12; prob.V 128 x 64 / 512 = 16. HBM of all: 88,160 B = 2,755 bursts = 173.
        QueryCost c = SpAttenConfig.paper().queryCost(SHAPE);
        assertEquals(new QueryCost(97, 128, 2 + 128 + 2 + 1, 64, 2, 128 + 15, 100, true, 12, 16, 173, 1), c);
        // score: start + 2 passes of (128 K beats + 133) + the Q.K stage's hand-off + the refetch's wait cycle;
        // select: hand-off + division 143 + engine 100 + 1; value 16 + 3
        assertEquals(1 + 2 * (128 + 133) + 2, c.score());
        assertEquals(1 + 143 + 101, c.select());
        assertEquals(16 + 2 + 1, c.value());
        // the Q.K array: start + 130 + hand-off, the refetch's claim + 130 = 263; the softmax stage holds the
        // query through both passes: 131 + wait + 130 + 131 + hand-off (+ 1) = 395, and binds
        assertEquals(263, c.qkStage());
        assertEquals(395, c.softmaxStage());
        assertEquals(395, c.interval(), "the softmax stage, holding a refetching query, binds the stream");
        assertEquals(525 + 245 + 19 + 1, c.latency());
    }

    @Test
    void theSameQueryAtOneEighthScale() {
        // one key per cycle and one softmax lane: Q.K 1024, softmax rows 1024; 2 channels: K 1,539 / 2 = 770, LSBs
        // 1,024 / 2 = 512 (both < 1024), V 192 / 2 = 96 (< prob.V 128), HBM 2,755 / 2 = 1,378
        QueryCost c = SpAttenConfig.oneEighth().queryCost(SHAPE);
        assertEquals(new QueryCost(770, 1024, 1029, 512, 2, 1039, 100, true, 96, 128, 1378, 1), c);
        assertEquals(1 + 2 * (1024 + 1029) + 2, c.score());
        // softmax stage: 1027 + wait + 1026 + 1027 + hand-off (+ 1)
        assertEquals(3083, c.interval());
        assertEquals(4109 + (1 + 1039 + 101) + (128 + 3) + 1, c.latency());
    }

    @Test
    void noSelectionWhenEveryValueIsKeptAndEnginesShareTheSelection() {
        QueryCost none = SpAttenConfig.paper().queryCost(new QueryShape(64, 512, 512, 12, 0, 12, 12, 0));
        assertEquals(0, none.selection());
        assertEquals(1, none.passes());
        assertEquals(1 + 64 + 15, none.select(), "the division pass only");
        // 512 x 96 B = 49,152 B each for K and V: K with Q 1,539 bursts -> 97, V 1,536 -> 96, all 3,075 -> 193
        assertEquals(193, none.interval(), "HBM bound");
        QueryCost two = SpAttenConfig.paper().withTopkEngines(2).queryCost(SHAPE);
        assertEquals(2, two.engines());
        assertEquals(395, two.interval(), "softmax still binds; the select stage's 246 is shared: 123");
        assertEquals("values = 2000 is out of range; allowed 1 .. 1024", assertThrows(IllegalArgumentException.class,
                () -> new QueryShape(64, 1024, 2000, 6, 0, 6, 12, 0)).getMessage());
    }

    @Test
    void aRunOfQueriesFollowsTheStageRecurrence() {
        // Q.K pass 4 + 2, softmax pass 5 - 2 = 3, select 20, value 5: select binds, outputs 21 cycles apart
        QueryCost a = new QueryCost(1, 4, 5, 0, 1, 19, 0, false, 1, 2, 1, 1);
        assertEquals(6, a.qkPass());
        assertEquals(3, a.exp());
        assertEquals(11, a.score());
        assertEquals(20, a.select());
        assertEquals(5, a.value());
        long[] r = QueryCost.schedule(java.util.List.of(a, a, a), null);
        // s0 = 0, a0 = 7, f0 = 11, g0 = 31, o0 = 36; s1 = 8, a1 = max(15, 12) = 15, f1 = max(19, 32) = 32, g1 = 52,
        // o1 = 57; s2 = 16, a2 = max(23, 33) = 33, f2 = max(37, 53) = 53, g2 = 73, o2 = 78
        assertArrayEquals(new long[] {0, 8, 16, 36, 57, 78}, r);
        assertEquals(79, QueryCost.runCycles(java.util.List.of(a, a, a)));
        assertEquals(a.latency() + 2 * a.interval(), QueryCost.runCycles(java.util.List.of(a, a, a)));
        // a slow value stage (40 cycles) behind: the select stage waits for it
        QueryCost b = new QueryCost(1, 4, 5, 0, 1, 19, 0, false, 1, 37, 1, 1);
        assertEquals(40, b.value());
        r = QueryCost.schedule(java.util.List.of(b, b), null);
        // o0 = 7 + 4 + 20 + 40 = 71; s1 = 8, a1 = 15, f1 = max(19, 32) = 32, g1 = max(52, 72) = 72, o1 = 112
        assertArrayEquals(new long[] {0, 8, 71, 112}, r);
        // a refetching query (second pass 4 + 2) before a plain one: the next query started at 8 runs its Q.K
        // pass (9 .. 14) first; the refetch, waiting from 11, claims the array at 15 = 8 + 1 + 6, so
        // f0 = 15 + 6 + 3 + 1 = 25, g0 = 45, o0 = 50; query 1 waits in the Q.K stage until 26: a1 = 26, f1 = 46,
        // g1 = 66, o1 = 71
        QueryCost c = new QueryCost(1, 4, 5, 0, 2, 19, 0, false, 1, 2, 1, 1);
        assertEquals(6, c.refetchPass());
        assertArrayEquals(new long[] {0, 8, 50, 71}, QueryCost.schedule(java.util.List.of(c, a), null));
        // alone, the refetch claims the array in its first wait cycle: 7 + 3 + 1 = 11, out at 11 + 10 + 20 + 5
        assertEquals(46, QueryCost.schedule(java.util.List.of(c), null)[1]);
        assertEquals(c.latency() - 1, QueryCost.schedule(java.util.List.of(c), null)[1]);
    }
}
