package dev.sieve.dataflow.piuma;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keys-only table (timing runs) probes exactly as the full table (product runs). */
class LinearProbeTableTest {

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
