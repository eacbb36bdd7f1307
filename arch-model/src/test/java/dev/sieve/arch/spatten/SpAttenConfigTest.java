package dev.sieve.arch.spatten;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SpAttenConfig holds the paper's hardware and rejects bad values naming field, value and range. */
class SpAttenConfigTest {

    @Test
    void paperHardwareFetches512BytesPerCycleAndUsesProgressiveQuantization() {
        SpAttenConfig c = SpAttenConfig.paper();
        assertEquals(16 * 32, c.hbmBytesPerCycleTotal(), "16 HBM channels x 32 B per cycle");
        assertEquals(8, c.qkMultipliers() / 64, "8 keys per cycle at head dim 64");
        assertTrue(c.progressiveQuantization());
        assertFalse(c.dense().progressiveQuantization());
        assertEquals(0.0, c.dense().tokenPruneRatio());
    }

    @Test
    void pruningRatioOfOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpAttenConfig.paper().withPruning(1.0, 0, 0));
        assertEquals("token_prune_ratio = 1.0 is out of range; allowed [0, 1)", e.getMessage());
    }

    @Test
    void negativeRatioAndBadComparatorsAreRejected() {
        assertEquals("value_prune_ratio = -0.1 is out of range; allowed [0, 1)", assertThrows(
                IllegalArgumentException.class, () -> SpAttenConfig.paper().withPruning(0.1, 0.1, -0.1)).getMessage());
        assertEquals("topk_comparators = 12 is out of range; allowed a power of two in 2 .. 64",
                assertThrows(IllegalArgumentException.class, () -> new SpAttenConfig(512, 512, 12, 1, 1 << 17, 1 << 17,
                        16, 32, 12, 8, 4, 0.1, 0.5, 0.2, 0.5, 0.15, 0.3, 1.0)).getMessage());
    }

    @Test
    void msbAndLsbMustFitTheWord() {
        assertEquals("lsb_bits = 5 is out of range; allowed 0 .. 4", assertThrows(IllegalArgumentException.class,
                () -> new SpAttenConfig(512, 512, 16, 1, 1 << 17, 1 << 17, 16, 32, 12, 8, 5, 0.1, 0.5, 0.2, 0.5, 0.15,
                        0.3, 1.0)).getMessage());
    }
}
