package dev.sieve.driver.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SgdTest {
    @Test
    void prunedWeightsAlsoDecayByTheSrSteTermAndKeptOnesDoNot() {
        Param p = new Param("w", new float[] {1f, 1f}, false);
        p.keep = new boolean[] {true, false};
        p.grad[0] = 0.5f;
        p.grad[1] = 0.5f;
        new Sgd(0f, 0f, 0.25f).step(List.of(p), 0.1f);
        assertEquals(1f - 0.1f * 0.5f, p.value[0], 0f, "kept: straight-through gradient only");
        assertEquals(1f - 0.1f * (0.5f + 0.25f), p.value[1], 1e-7f, "pruned: gradient plus lambda * w");
    }

    @Test
    void momentumAndWeightDecayFollowTheFormula() {
        Param p = new Param("w", new float[] {2f}, true);
        p.grad[0] = 1f;
        Sgd s = new Sgd(0.9f, 0.01f, 0f);
        s.step(List.of(p), 0.1f); // v = 1 + 0.02 = 1.02, w = 2 - 0.102
        assertEquals(1.898f, p.value[0], 1e-6f);
        s.step(List.of(p), 0.1f); // v = 0.9*1.02 + 1 + 0.01898
        assertEquals(1.898f - 0.1f * (0.918f + 1.01898f), p.value[0], 1e-6f);
    }
}
