package dev.sieve.arch.piuma;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hash-accumulate unit's hash (XOR-fold), its wiring, its probe rule and its rules. */
class HashUnitTest {

    @Test
    void homeIsTheXorOfTheKeysChunks() {
        // 16 slots, 4-bit chunks: 0xB6 -> 0xB ^ 0x6 = 0xD; 0x1234 -> 1 ^ 2 ^ 3 ^ 4 = 4
        assertEquals(0xD, HashUnit.home(0xB6, 4));
        assertEquals(4, HashUnit.home(0x1234, 4));
        // 8 slots, 3-bit chunks of 0b110_101_011: 6 ^ 5 ^ 3 = 0
        assertEquals(0, HashUnit.home(0b110_101_011, 3));
        // a key below the table size is its own home: dense small keys never collide
        for (int k = 0; k < 1024; k++) {
            assertEquals(k, HashUnit.home(k, 10));
        }
        // the model's 64-bit keys fold the same way: the top chunk of 0x8000_0000_0000_0001 at 16 bits
        assertEquals(0x8001, HashUnit.home(0x8000_0000_0000_0001L, 16));
        HashUnit u = new HashUnit(20, 32, 1024);
        assertEquals(HashUnit.home(0xABCDE, 10), u.home(0xABCDE));
        assertEquals(0x2AF ^ 0x0DE, u.home(0xABCDE), "0xABCDE = 0b10_1010_1111 << 10 | 0b00_1101_1110");
    }

    @Test
    void theWiredKeyBitsComputeTheSameHome() {
        // what the generator wires (address bit b = XOR of keyBitsOf(b)) equals home() on every key
        SplittableRandom r = new SplittableRandom(13);
        for (int kw = 1; kw <= 31; kw++) {
            for (int aw = 2; aw <= 16; aw++) {
                for (int n = 0; n < 200; n++) {
                    long key = r.nextLong() & ((1L << kw) - 1);
                    int wired = 0;
                    for (int b = 0; b < aw; b++) {
                        int x = 0;
                        for (int k : HashUnit.keyBitsOf(b, kw, aw)) {
                            x ^= (int) (key >>> k) & 1;
                        }
                        wired |= x << b;
                    }
                    assertEquals(HashUnit.home(key, aw), wired, "key " + key + ", " + kw + " bits, " + aw + " bits");
                }
            }
        }
        // 31-bit keys at 1024 slots: bit 0 is the XOR of key bits 0, 10, 20 and 30; bit 1 of 1, 11, 21
        assertEquals(java.util.List.of(0, 10, 20, 30), java.util.Arrays.stream(HashUnit.keyBitsOf(0, 31, 10)).boxed()
                .toList());
        assertEquals(3, HashUnit.keyBitsOf(1, 31, 10).length);
        assertEquals(0, HashUnit.keyBitsOf(5, 4, 8).length, "a 4-bit key leaves address bit 5 at 0");
    }

    @Test
    void probesGoToTheNextSlotAndWrapAtTheEnd() {
        assertEquals(6, HashUnit.nextSlot(5, 8));
        assertEquals(0, HashUnit.nextSlot(7, 8));
        assertEquals(0, HashUnit.nextSlot(1023, 1024));
    }

    @Test
    void generatorLimitsAreTheRecordsRules() {
        HashUnit u = new HashUnit(31, 32, 65536);
        assertEquals(16, u.addressWidth());
        assertEquals(64, u.slotWidth(), "occupied + 31-bit key + 32-bit sum fill a 64-bit word");
        assertEquals("key_width = 32 is out of range; allowed 1 .. 31",
                assertThrows(IllegalArgumentException.class, () -> new HashUnit(32, 8, 16)).getMessage());
        assertEquals("value_width = 0 is out of range; allowed 1 .. 32",
                assertThrows(IllegalArgumentException.class, () -> new HashUnit(8, 0, 16)).getMessage());
        assertEquals("slots = 48 is out of range; allowed a power of two, 4 .. 65536",
                assertThrows(IllegalArgumentException.class, () -> new HashUnit(8, 8, 48)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HashUnit(8, 8, 2));
        assertThrows(IllegalArgumentException.class, () -> HashUnit.home(1, 0));
    }

    @Test
    void theMachineHoldsItsUnit() {
        PiumaConfig c = PiumaConfig.defaults();
        assertEquals(HashUnit.defaults(), c.hashUnit());
        HashUnit small = new HashUnit(16, 16, 256);
        PiumaConfig d = c.withHashUnit(small);
        assertEquals(small, d.hashUnit());
        assertEquals(small, d.withCores(2).hashUnit(), "withers keep the unit");
        assertEquals("hashUnit is missing; allowed a HashUnit", assertThrows(IllegalArgumentException.class,
                () -> c.withHashUnit(null)).getMessage());
    }
}
