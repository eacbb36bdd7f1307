package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.HashUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table hashes and probes as the hash-accumulate unit (HashUnit), and the keys-only table
 * (timing runs) probes exactly as the full table (product runs).
 */
class LinearProbeTableTest {

    @Test
    void keysMeetingAtTheLastSlotProbeOnAroundTheTableEnd() {
        // 16 slots: keys 0x0F, 0x1E, 0x2D fold to 0xF, 0x1 ^ 0xE = 0xF, 0x2 ^ 0xD = 0xF (the last slot)
        for (boolean keysOnly : new boolean[] {false, true}) {
            LinearProbeTable t = new LinearProbeTable(16, keysOnly);
            assertEquals(15, t.home(0x0F));
            assertEquals(15, t.home(0x1E));
            assertEquals(15, t.home(0x2D));
            assertEquals(-1, t.accumulate(0x0F, 1.0), "new key, home slot empty: 1 probe");
            assertEquals(-2, t.accumulate(0x1E, 1.0), "slot 15 taken: wraps to slot 0");
            assertEquals(-3, t.accumulate(0x2D, 1.0), "slots 15 and 0 taken: slot 1");
            assertEquals(2, t.accumulate(0x1E, 1.0), "found again after 2 probes");
            assertEquals(-1, t.accumulate(0x03, 1.0), "key 3's home is slot 3, free");
            assertEquals(0x1E, t.key(0));
            assertEquals(0x2D, t.key(1));
            assertEquals(0x0F, t.key(15));
        }
    }

    @Test
    void homeIsTheHashUnitsFoldAtEverySizeAndKeyWidth() {
        // HashUnit.home folds a key in a fixed number of chunks per width (32 or 64 bits); the table
        // uses it. Both must equal the definition, the XOR of the key's chunks up to its top bit
        // (written here as a loop that stops at the last nonzero chunk), for keys whose high chunks are
        // zero, keys of exactly 32 bits and wider ones
        SplittableRandom rng = new SplittableRandom(11);
        // sizes 2^1 .. 2^20: 32 down to 2 chunks of a 32-bit key (larger tables, up to 2^30, also fold in 2)
        for (int bits = 1; bits <= 20; bits++) {
            LinearProbeTable t = new LinearProbeTable(1 << bits, true);
            LinearProbeTable full = new LinearProbeTable(1 << Math.min(bits, 12));
            full.reset(1 << bits);
            long[] edge = {0, 1, (1L << bits) - 1, 1L << bits, 0xFFFFFFFFL, 0x80000000L, 1L << 32, -1L >>> 1};
            for (long k : edge) {
                assertEquals(chunkXor(k, bits), HashUnit.home(k, bits), "size 2^" + bits + " key " + k);
                assertEquals(chunkXor(k, bits), t.home(k), "size 2^" + bits + " key " + k);
                assertEquals(chunkXor(k, bits), full.home(k), "size 2^" + bits + " key " + k);
            }
            for (int n = 0; n < 2000; n++) {
                long k = rng.nextLong() >>> rng.nextInt(64);
                assertEquals(chunkXor(k, bits), t.home(k), "size 2^" + bits + " key " + k);
            }
        }
    }

    /** The home slot by its definition: the XOR of {@code bits}-wide chunks of the key, low first. */
    private static int chunkXor(long key, int bits) {
        long h = 0;
        for (long k = key; k != 0; k >>>= bits) {
            h ^= k;
        }
        return (int) h & ((1 << bits) - 1);
    }

    @Test
    void keysOnlyTableProbesLikeTheFullTable() {
        SplittableRandom rng = new SplittableRandom(7);
        LinearProbeTable full = new LinearProbeTable(16);
        LinearProbeTable keys = new LinearProbeTable(16, true);
        for (int round = 0; round < 200; round++) {
            int size = 1 << (1 + rng.nextInt(12));
            full.reset(size);
            keys.reset(size);
            int distinct = 1 + rng.nextInt(size);
            int range = Math.max(distinct, rng.nextInt(4 * size) + 1);
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (int n = 0; n < 3 * size; n++) {
                long k = rng.nextInt(range);
                if (!seen.contains(k) && seen.size() == distinct) {
                    continue;
                }
                seen.add(k);
                assertEquals(full.accumulate(k, 1.0), keys.accumulate(k, 1.0), "round " + round + " key " + k);
            }
            assertEquals(full.used(), keys.used());
            for (int s = 0; s < size; s++) {
                assertEquals(full.occupied(s), keys.occupied(s));
                if (full.occupied(s)) {
                    assertEquals(full.key(s), keys.key(s));
                }
            }
        }
        assertThrows(IllegalStateException.class, () -> keys.sum(0));
        assertThrows(IllegalArgumentException.class, () -> keys.accumulate(-1, 1.0));
        assertTrue(keys.size() >= 2);
    }
}
