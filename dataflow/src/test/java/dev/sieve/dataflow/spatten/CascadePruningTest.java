package dev.sieve.dataflow.spatten;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cascade schedule: untouched first layers, then a linear ramp to the final ratio, never growing back. */
class CascadePruningTest {

    private final SpAttenPolicy cfg = SpAttenPolicy.paper().withPruning(0.6, 0.25, 0.5);

    @Test
    void firstFifteenPercentOfLayersKeepEveryToken() {
        // ceil(12 * 0.15) = 2 layers unpruned
        assertEquals(1000, CascadePruning.tokensKept(cfg, 0, 12, 1000));
        assertEquals(1000, CascadePruning.tokensKept(cfg, 1, 12, 1000));
        assertTrue(CascadePruning.tokensKept(cfg, 2, 12, 1000) < 1000);
    }

    @Test
    void lastLayerReachesTheFinalRatioAndTheCountNeverGrows() {
        assertEquals(400, CascadePruning.tokensKept(cfg, 11, 12, 1000), "1000 * (1 - 0.6)");
        int prev = Integer.MAX_VALUE;
        for (int l = 0; l < 12; l++) {
            int kept = CascadePruning.tokensKept(cfg, l, 12, 1000);
            assertTrue(kept <= prev, "cascade: layer " + l);
            prev = kept;
        }
    }

    @Test
    void headsArePrunedOnlyAfterThirtyPercentOfLayers() {
        // ceil(24 * 0.3) = 8 layers unpruned; the last layer keeps floor(16 * 0.75) = 12 heads
        assertEquals(16, CascadePruning.headsKept(cfg, 7, 24, 16));
        assertTrue(CascadePruning.headsKept(cfg, 8, 24, 16) <= 16);
        assertEquals(12, CascadePruning.headsKept(cfg, 23, 24, 16));
    }

    @Test
    void localVPruningKeepsAtLeastOneRow() {
        assertEquals(50, CascadePruning.valuesKept(cfg, 100));
        assertEquals(1, CascadePruning.valuesKept(cfg, 1));
    }

    @Test
    void withThePruningSwitchOffEverythingStays() {
        SpAttenPolicy off = cfg.withTechniques(false, true, true);
        assertEquals(1000, CascadePruning.tokensKept(off, 11, 12, 1000));
        assertEquals(16, CascadePruning.headsKept(off, 23, 24, 16));
        assertEquals(100, CascadePruning.valuesKept(off, 100));
    }
}
