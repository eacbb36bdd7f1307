package dev.sieve.arch.spatten;

import org.junit.jupiter.api.Test;

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
}
