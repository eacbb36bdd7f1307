package dev.sieve.sim.spatten;

import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.dataflow.spatten.AttentionTrace;
import dev.sieve.dataflow.spatten.AttentionWorkload;
import dev.sieve.dataflow.spatten.SpAttenPolicy;
import dev.sieve.dataflow.spatten.TraceRow;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-computed costs of single heads, and the ordering of the speedup breakdown. */
class SpAttenModelTest {

    private final SpAttenConfig cfg = SpAttenConfig.paper();
    private final SpAttenModel model = new SpAttenModel(cfg);
    /** The breakdown's steps: dense, + pruning (sorting), + top-k engine, + progressive quantization. */
    private static final SpAttenPolicy FULL = SpAttenPolicy.paper();
    private static final SpAttenPolicy DENSE = FULL.dense();
    private static final SpAttenPolicy PRUNING = FULL.withTechniques(true, false, false);
    private static final SpAttenPolicy TOPK = FULL.withTechniques(true, true, false);

    private static TraceRow row(int it, int layer, int head, int seq, int keys, int values, int keyBits,
                                boolean requant, int valueBits) {
        return new TraceRow(it, layer, head, 64, seq, keys, keyBits, 16, requant ? 0.05 : -1, requant,
                requant ? 4 : -1, values, valueBits, 0);
    }

    @Test
    void aDenseGenerationHeadIsHbmBoundInItsIntervalAndPaysItsLatencyAlone() {
        // Q 96 B + K 1024 x 96 B + V 1024 x 96 B = 196,704 B over 512 B/cycle = 385 cycles of HBM (Q·K needs only
        // 128): a stream of such queries would leave every 385 cycles. Alone, the query takes its latency: Q.K
        // stage 1 + max(K fetch 193, Q.K 128) + 2, its hand-off cycle, softmax 128 rows + 2 + 1 = 328; select
        // 1 + 128 + 15 = 144 (no selection); value max(V fetch 192, prob.V 128) + 2 + 1 = 195; + 1 = 668
        AttentionTrace t = new AttentionTrace("one", List.of(row(1, 0, 0, 1024, 1024, 1024, -1, false, -1)));
        SpAttenModel.Run r = model.run(t, DENSE);
        LayerStep s = r.steps().get(0);
        assertEquals(96, s.qBytes());
        assertEquals(98_304, s.kBytes());
        assertEquals(98_304, s.vBytes());
        assertEquals(328 + 144 + 195 + 1, s.cycles());
        assertEquals(385, s.hbmCycles());
        assertEquals(196_704, java.util.Arrays.stream(r.hbmBytesPerChannel()).sum(), "whole 32-byte bursts");
        assertEquals((1 + 2 * 1024) * 256, s.fp32DenseBytes(), "FP32: Q, 1024 K and 1024 V rows of 64 x 4 B");
        assertEquals(new LayerStep.Bound(0, 0, 0, 385), s.bound(), "K and V share the channels: HBM sets the interval");
    }

    @Test
    void prunedQuantizedHeadFetchesMsbsThenLsbsOfKeptKeysAndKeptValues() {
        AttentionTrace t = new AttentionTrace("one", List.of(row(1, 0, 0, 1024, 102, 20, 6, true, 6)));
        LayerStep s = model.run(t, FULL).steps().get(0);
        assertEquals(102 * 48 + 102 * 32, s.kBytes(), "6-bit MSBs, then 4 LSBs: 64 x 10 bits per key");
        assertEquals(20 * 48, s.vBytes(), "20 six-bit V rows");
        assertEquals(1, s.refetches());
        assertEquals(96 + 2 * 98_304, s.denseBytes(), "dense: every key and value at 12 bits");
        TopKCost cost = new TopKCost(cfg.topk(1024));
        // the engine is busy for the query's select stage: the hand-off cycle, the division pass over
        // ceil(102 / 8) = 13 rows and the divider's 15 cycles fill it, it selects, then 1 + 1 hand-off cycles
        assertEquals(1 + 13 + 15 + (long) Math.ceil(cost.engineCycles(102, 20)) + 1 + 1, s.topkCycles(),
                "local-V selection");
        assertTrue(s.cycles() >= s.topkCycles());
    }

    @Test
    void iterationZeroOfAGenerationTraceIsOneQueryOver993Tokens() {
        // the first generated token against 993 keys (6-bit), keeping 204 V rows: one request, as the release's
        // test bench sends it. Per SpAttenConfig.queryCost: Q.K stage 1 + max(K fetch 94, Q.K ceil(993 x 64 / 512)
        // = 125) + 2, its hand-off cycle, softmax ceil(993 / 8) = 125 rows + 2 + 1: 257; select 1 + 125 + 15 + sel +
        // 1 = 142 + sel; value max(V fetch ceil(ceil(204 x 48 / 32) / 16) = 20, prob.V ceil(204 x 64 / 512) = 26) +
        // 3 = 29; alone 257 + 142 + sel + 29 + 1. HBM of all 57,552 B = 113. The select stage (143 + sel) sets the interval.
        AttentionTrace t = new AttentionTrace("one", List.of(row(0, 0, 0, 993, 993, 204, 6, false, 6)));
        LayerStep s = model.run(t, FULL).steps().get(0);
        long sel = (long) Math.ceil(new TopKCost(cfg.topk(1024)).engineCycles(993, 204));
        assertEquals(96, s.qBytes(), "one query vector");
        assertEquals(257 + 142 + sel + 29 + 1, s.cycles());
        assertEquals(new LayerStep.Bound(0, 143 + sel, 0, 0), s.bound(), "the engine sets the interval");
        assertEquals(96 + 2L * 993 * 96, s.denseBytes());
    }

    @Test
    void sixBitHeadPairsAreFusedAndPayTheSelectionOnce() {
        // two heads of 1024 keys keeping 128 values: each fills the engine in its select stage (1 + 128 rows + 15
        // + 1 + 1 hand-off cycles = 146), the fused pair's selection latency is charged once (on the first head);
        // at 8 bits each head pays it
        TopKCost cost = new TopKCost(cfg.topk(1024));
        long sel = (long) Math.ceil(cost.engineCycles(1024, 128));
        AttentionTrace six = new AttentionTrace("six", List.of(row(1, 0, 0, 1024, 1024, 128, 6, false, 6),
                row(1, 0, 1, 1024, 1024, 128, 6, false, 6)));
        AttentionTrace eight = new AttentionTrace("eight", List.of(row(1, 0, 0, 1024, 1024, 128, 8, false, 8),
                row(1, 0, 1, 1024, 1024, 128, 8, false, 8)));
        assertEquals(2 * 146 + sel, model.run(six, FULL).steps().get(0).topkCycles());
        assertEquals(2 * 146 + 2 * sel, model.run(eight, FULL).steps().get(0).topkCycles());
        assertEquals(2 * 146 + 2 * sel, model.run(six, TOPK).steps().get(0).topkCycles(),
                "without quantization K is fetched at 12 bits: no fusion");
    }

    @Test
    void aQueryThatKeepsEveryValueSkipsTheTopK() {
        AttentionTrace t = new AttentionTrace("one", List.of(row(1, 0, 0, 512, 256, 256, 6, false, 6)));
        assertEquals(0, model.run(t, FULL).steps().get(0).topkCycles());
    }

    @Test
    void summarizationRunsEveryKeptTokenAsAQuery() {
        // 993 queries x ceil(993 x 64 / 512) = 125 cycles of Q.K each = 124,125, prob.V of each query on the
        // other array behind it; the fill is one query's prob.V (125). Q: 993 x 96 B
        AttentionTrace t = new AttentionTrace("one", List.of(row(0, 0, 0, 993, 993, 993, -1, false, -1)), true);
        LayerStep s = model.run(t, DENSE).steps().get(0);
        assertEquals(993L * 96, s.qBytes());
        assertEquals(993L * 125 + 125, s.cycles());
    }

    @Test
    void summarizationHasNoLocalVPruningAndACascadeTopKPerHead() {
        // layer 0: 3 heads over 384 tokens; layer 1 keeps 192. The trace's value_fetch_num (96) is ignored: no
        // local V pruning in a summarization, so no per-query top-k; layer 0 selects 192 of 384 once per head
        List<TraceRow> rows = new java.util.ArrayList<>();
        for (int h = 0; h < 3; h++) {
            rows.add(row(0, 0, h, 384, 384, 96, -1, false, -1));
            rows.add(row(0, 1, h, 384, 192, 96, -1, false, -1));
        }
        SpAttenModel.Run r = model.run(new AttentionTrace("bert", rows, true), TOPK);
        long sel = (long) Math.ceil(new TopKCost(cfg.topk(1024)).engineCycles(384, 192));
        assertEquals(3 * sel, r.steps().get(0).topkCycles());
        assertEquals(0, r.steps().get(1).topkCycles(), "the last layer selects nothing");
        assertEquals(3L * 192 * 96, r.steps().get(1).vBytes(), "every kept token's V row, 12 bits");
    }

    @Test
    void breakdownStepsNeverFetchMoreAndTheTopKEngineBeatsSorting() {
        AttentionWorkload w = AttentionWorkload.gpt2Small();
        AttentionTrace t = AttentionTrace.synthesize(w, cfg, FULL, 0.059);
        SpAttenModel.Run dense = model.run(t, DENSE);
        SpAttenModel.Run pruned = model.run(t, PRUNING);
        SpAttenModel.Run engine = model.run(t, TOPK);
        SpAttenModel.Run full = model.run(t, FULL);
        assertTrue(pruned.bytes() < dense.bytes());
        assertEquals(pruned.bytes(), engine.bytes(), "the engine changes cycles, not bytes");
        assertTrue(full.bytes() < engine.bytes(), "MSB-first K fetch");
        assertTrue(engine.cycles() < pruned.cycles(), "quick-select beats an n log n sort");
        assertEquals(dense.denseBytes(), full.denseBytes());
    }

    @Test
    void aHeadWhoseKeysOverflowTheKSramIsStreamedOncePerQuery() {
        // 196 KB holds 2,090 keys of 64 x 12 bits; 2,200 keys need 211,200 B
        AttentionTrace t = new AttentionTrace("one", List.of(row(0, 0, 0, 2200, 2200, 2200, -1, false, -1)), true);
        LayerStep s = model.run(t, DENSE).steps().get(0);
        assertEquals(2200L * 2200 * 96, s.kBytes());
        AttentionTrace fits = new AttentionTrace("one", List.of(row(0, 0, 0, 2000, 2000, 2000, -1, false, -1)), true);
        assertEquals(2000L * 96, model.run(fits, DENSE).steps().get(0).kBytes());
    }

    @Test
    void theDenseBaselineRunsHeadsTheTraceHasPruned() {
        // layer 0 has two heads, layer 1 only one: dense still computes two heads in layer 1
        AttentionTrace t = new AttentionTrace("hp", List.of(row(1, 0, 0, 64, 64, 64, -1, false, -1),
                row(1, 0, 1, 64, 64, 64, -1, false, -1), row(1, 1, 0, 64, 32, 8, -1, false, -1)));
        SpAttenModel.Run dense = model.run(t, DENSE);
        assertEquals(dense.steps().get(0).cycles(), dense.steps().get(1).cycles());
        assertEquals(2 * 64 * 96, dense.steps().get(1).kBytes());
        assertEquals(1, model.run(t, FULL).steps().get(1).headsKept());
    }

    @Test
    void aDenseTraceRunsTheSameUnderEveryBreakdownStep() {
        // keys = L, values = L, full-width bits, no refetch: nothing for any technique to change
        List<TraceRow> rows = new java.util.ArrayList<>();
        for (int it = 0; it < 2; it++) {
            for (int l = 0; l < 3; l++) {
                for (int h = 0; h < 4; h++) {
                    rows.add(row(it, l, h, 200 + it, 200 + it, 200 + it, -1, false, -1));
                }
            }
        }
        AttentionTrace t = new AttentionTrace("dense", rows);
        for (SpAttenConfig hw : List.of(SpAttenConfig.paper(), SpAttenConfig.oneEighth())) {
            SpAttenModel m = new SpAttenModel(hw);
            SpAttenModel.Run dense = m.run(t, DENSE);
            for (SpAttenPolicy.Step step : FULL.breakdown()) {
                SpAttenModel.Run r = m.run(t, step.policy());
                assertEquals(dense.cycles(), r.cycles(), step.label());
                assertEquals(dense.bytes(), r.bytes(), step.label());
                assertEquals(r.denseBytes(), r.bytes(), "the 12-bit baseline is what a dense trace fetches");
            }
        }
    }

    @Test
    void aPolicyThatDoesNotFitTheWordIsRejected() {
        SpAttenPolicy wide = new SpAttenPolicy(true, true, true, 0.5, 0.2, 0.5, 0.15, 0.3, 10, 4, 0.1);
        AttentionTrace t = new AttentionTrace("one", List.of(row(1, 0, 0, 64, 64, 64, -1, false, -1)));
        assertEquals("lsb_bits = 4 is out of range; allowed 0 .. 2", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> model.run(t, wide)).getMessage());
    }
}
