package dev.sieve.arch.spatten;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline view of {@link SpAttenConfig} and its timing, which is the cycle model's per-query
 * cost ({@link SpAttenConfig#queryCost}) where HBM does not bind: the same Q·K beats
 * ({@code ceil(n·D/P)}), softmax rows ({@code ceil(n/S)}), prob·V beats ({@code ceil(k·D/Pv)}) and
 * engine selection in the same three stages.
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
    void rtlTimingIsTheModelsCostWhereHbmDoesNotBind(String preset, int n, int k, boolean refetch) {
        SpAttenConfig hw = wideHbm(SpAttenConfig.preset(preset));
        AttentionPipeline p = AttentionPipeline.of(hw, 64, 1024);
        long selection = AttentionPipeline.selects(n, k) ? 250 : 0;
        QueryShape shape = new QueryShape(64, n, Math.min(k, n), 6, refetch ? 6 : 0, 6, 12, selection);
        QueryCost model = hw.queryCost(shape);
        QueryCost rtl = p.queryCost(n, k, refetch, selection);
        assertEquals(model.score(), rtl.score());
        assertEquals(model.select(), rtl.select());
        assertEquals(model.value(), rtl.value());
        assertEquals(model.latency(), p.queryCycles(n, k, refetch, selection));
        // the stages from the pipeline's own geometry
        long soft = (n + p.softmaxLanes() - 1) / p.softmaxLanes();
        long pass = p.kBeats(n) + AttentionPipeline.QK_DRAIN + soft + AttentionPipeline.EXP_DRAIN + AttentionPipeline.DECIDE;
        // each pass ends with a cycle of its own: the Q·K stage's hand-off to the softmax stage (first
        // pass) or the refetch's wait cycle (second pass)
        assertEquals(AttentionPipeline.START + (refetch ? 2 : 1) * (pass + 1), rtl.score());
        assertEquals(1 + soft + AttentionPipeline.DIV_DRAIN + (selection > 0 ? selection + 1 : 0), rtl.select());
        assertEquals(p.vBeats(Math.min(k, n)) + AttentionPipeline.PV_DRAIN + AttentionPipeline.OUT, rtl.value());
    }

    @Test
    void aGpt2GenerationQueryAtOneEighthScale() {
        // n = 993 keys, k = 204 values, no refetch, selection 250: Q.K 993, prob.V 204 beats at one key (row) per
        // cycle; Q.K = start + 993 + 2, softmax = hand-off + 993 + 2 + 1, select = hand-off + 993 + 15 + 250 + 1,
        // value = 204 + 2 + 1
        AttentionPipeline p = AttentionPipeline.of(SpAttenConfig.oneEighth(), 64, 1024);
        QueryCost c = p.queryCost(993, 204, false, 250);
        assertEquals(1 + 993 + 2 + 1 + 993 + 2 + 1, c.score());
        assertEquals(1 + 993 + 2 + 1, c.qkStage());
        assertEquals(993 + 2 + 1 + 1, c.softmaxStage());
        assertEquals(1 + 993 + 15 + 250 + 1, c.select());
        assertEquals(204 + 2 + 1, c.value());
        assertEquals(1993 + 1260 + 207 + 1, p.queryCycles(993, 204, false, 250));
        // a stream of such queries: with Q.K and the exponential pass in stages of their own (997 each), the
        // select stage (1260 + its hand-off cycle) binds
        assertEquals(1261, c.interval());
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
