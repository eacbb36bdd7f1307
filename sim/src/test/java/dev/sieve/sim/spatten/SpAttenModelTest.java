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
    void aDenseGenerationHeadIsBoundByHbm() {
        // Q 96 B + K 1024 x 96 B + V 1024 x 96 B = 196,704 B over 512 B/cycle = 385 cycles (Q·K needs only 128)
        AttentionTrace t = new AttentionTrace("one", List.of(row(1, 0, 0, 1024, 1024, 1024, -1, false, -1)));
        SpAttenModel.Run r = model.run(t, DENSE);
        LayerStep s = r.steps().get(0);
        assertEquals(96, s.qBytes());
        assertEquals(98_304, s.kBytes());
        assertEquals(98_304, s.vBytes());
        assertEquals(385, s.cycles());
        assertEquals(196_704, java.util.Arrays.stream(r.hbmBytesPerChannel()).sum(), "whole 32-byte bursts");
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
        assertEquals((long) Math.ceil(cost.engineCycles(102, 20)), s.topkCycles(), "local-V selection dominates");
        assertTrue(s.cycles() >= s.topkCycles());
    }

    @Test
    void summarizationRunsEveryPromptTokenAsAQuery() {
        // 993 queries x 993 keys x 64 / 512 multipliers = 123,256.1 -> 123,257 cycles of Q·K per head
        AttentionTrace t = new AttentionTrace("one", List.of(row(0, 0, 0, 993, 993, 993, -1, false, -1)));
        LayerStep s = model.run(t, DENSE).steps().get(0);
        assertEquals(993L * 96, s.qBytes());
        assertEquals(123_257 + 123_257, s.cycles(), "Q·K then prob·V for the single head, no overlap partner");
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
        AttentionTrace t = new AttentionTrace("one", List.of(row(0, 0, 0, 2200, 2200, 2200, -1, false, -1)));
        LayerStep s = model.run(t, DENSE).steps().get(0);
        assertEquals(2200L * 2200 * 96, s.kBytes());
        AttentionTrace fits = new AttentionTrace("one", List.of(row(0, 0, 0, 2000, 2000, 2000, -1, false, -1)));
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
    void aPolicyThatDoesNotFitTheWordIsRejected() {
        SpAttenPolicy wide = new SpAttenPolicy(true, true, true, 0.5, 0.2, 0.5, 0.15, 0.3, 10, 4, 0.1);
        AttentionTrace t = new AttentionTrace("one", List.of(row(1, 0, 0, 64, 64, 64, -1, false, -1)));
        assertEquals("lsb_bits = 4 is out of range; allowed 0 .. 2", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> model.run(t, wide)).getMessage());
    }
}
