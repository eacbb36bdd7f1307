package dev.sieve.arch.spatten;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline view of {@link SpAttenConfig} and its timing beside the cycle model's per-query cost
 * ({@link SpAttenConfig#queryCost}). Where HBM does not bind, both charge the same Q·K beats
 * ({@code ceil(n·D/P)}), the same prob·V beats ({@code ceil(k·D/Pv)}) and the same engine
 * selection; the RTL, one query at a time, adds its softmax passes (the model hides them behind
 * Q·K, as a stream of queries would) and its pipeline drains:
 * {@code passes·(QK_DRAIN + ceil(n/S) + EXP_DRAIN + DECIDE) + ceil(n/S) + DIV_DRAIN + START + OUT
 * + PV_DRAIN [+ TOPK_HANDOFF]}.
 */
class AttentionPipelineTest {

    /** A config whose HBM never binds (1024 channels of 4096 B/cycle), so only the datapath counts. */
    static SpAttenConfig wideHbm(SpAttenConfig c) {
        return new SpAttenConfig(c.qkMultipliers(), c.pvMultipliers(), c.topkComparators(), 1, c.kSramBytes(),
                c.vSramBytes(), 1024, 4096, c.wordBits(), c.clockGhz());
    }

    @ParameterizedTest(name = "{0} n={1} k={2} refetch={3}")
    @CsvSource({"spatten-1/8, 993, 204, false", "spatten-1/8, 993, 204, true", "spatten-1/8, 300, 300, false",
            "spatten, 993, 204, false", "spatten, 1024, 128, true", "spatten, 17, 40, false"})
    void rtlTimingIsTheModelsLatencyPlusTheSoftmaxPassesAndDrains(String preset, int n, int k, boolean refetch) {
        SpAttenConfig hw = wideHbm(SpAttenConfig.preset(preset));
        AttentionPipeline p = AttentionPipeline.of(hw, 64, 1024);
        long selection = AttentionPipeline.selects(n, k) ? 250 : 0;
        QueryShape shape = new QueryShape(64, n, Math.min(k, n), 6, refetch ? 6 : 0, 6, 12, selection);
        long model = hw.queryCost(shape).latency();
        long rtl = p.queryCycles(n, k, refetch, selection);
        long soft = (n + p.softmaxLanes() - 1) / p.softmaxLanes();
        long passes = refetch ? 2 : 1;
        long extra = passes * (AttentionPipeline.QK_DRAIN + soft + AttentionPipeline.EXP_DRAIN + AttentionPipeline.DECIDE)
                + soft + AttentionPipeline.DIV_DRAIN + AttentionPipeline.START + AttentionPipeline.OUT
                + AttentionPipeline.PV_DRAIN + (selection > 0 ? AttentionPipeline.TOPK_HANDOFF : 0);
        assertEquals(model + extra, rtl);
    }

    @Test
    void aGpt2GenerationQueryAtOneEighthScale() {
        // n = 993 keys, k = 204 values, no refetch, selection 250: Q·K 993, prob·V 204 beats at one
        // key (row) per cycle; the RTL adds 2 x 993 softmax reads and 26 cycles of drains and hand-offs
        AttentionPipeline p = AttentionPipeline.of(SpAttenConfig.oneEighth(), 64, 1024);
        assertEquals(1 + (993 + 2 + 993 + 2 + 1) + 993 + 15 + (250 + 1) + 204 + 2 + 1, p.queryCycles(993, 204, false, 250));
    }

    @Test
    void rulesNameTheFieldAndTheAllowedValues() {
        SpAttenConfig c = SpAttenConfig.paper();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttentionPipeline.of(c, 48, 1024));
        assertTrue(e.getMessage().startsWith("head_dim = 48 is out of range; allowed a power of two"), e.getMessage());
        // 8 scores per cycle need at least 8 comparators
        e = assertThrows(IllegalArgumentException.class, () -> AttentionPipeline.of(c.withTopkComparators(4), 64, 1024));
        assertTrue(e.getMessage().startsWith("topk_comparators = 4 is below the 8 scores per cycle"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AttentionPipeline.of(c, 64, 8192));
        assertTrue(e.getMessage().startsWith("max_n = 8192 is out of range"), e.getMessage());
    }
}
