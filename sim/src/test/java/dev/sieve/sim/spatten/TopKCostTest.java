package dev.sieve.sim.spatten;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.hdl.spatten.TopKEngine;
import dev.sieve.hdl.spatten.model.TopKEngineModel;
import org.junit.jupiter.api.Test;

/** Top-k costs come from the engine's own algorithm; the no-engine baseline is a P-wide merge sort. */
class TopKCostTest {

    private final TopKCost cost = TopKCost.of(SpAttenConfig.paper());

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

    @Test
    void aSelectionCostsWhatTheEnginesOwnCycleRuleGives() {
        // the cost model and the golden model share TopK's rule: 1 start cycle + sum(ceil(m_i/P) + 3) + ceil(n/P)
        SpAttenConfig.TopK engine = SpAttenConfig.paper().topk(1024);
        int[] v = new int[100];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 37) % 101;
        }
        TopKEngineModel.Selection s = TopKEngineModel.select(v, 10, engine, TopKEngine.LFSR_SEED);
        assertEquals(engine.outputCycles(100), s.outputCycles());
        assertEquals(7, s.outputCycles(), "ceil(100 / 16)");
        // the first round alone covers all 100 candidates
        org.junit.jupiter.api.Assertions.assertTrue(s.selectCycles() >= SpAttenConfig.TopK.START_CYCLES
                + engine.roundCycles(100));
        assertEquals(1 + 10, SpAttenConfig.TopK.START_CYCLES + engine.roundCycles(100), "1 + ceil(100/16) + 3");
    }
}
