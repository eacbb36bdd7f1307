package dev.sieve.dataflow.sparse;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Comparing products whose entries were summed in different orders. */
class CsrDifferenceTest {

    private static Csr oneEntry(double v) {
        return new Csr(1, 1, new int[] {0, 1}, new int[] {0}, new double[] {v});
    }

    @Test
    void reorderedSumsPassAndRealErrorsFail() {
        // the terms 1e16, 1, -1e16 summed in two orders: (1e16 + 1) - 1e16 = 0 (1e16 + 1 rounds to
        // 1e16) and (1e16 - 1e16) + 1 = 1. A relative test on the result cannot accept that; the
        // bound 2 (n - 1) 2^-53 sum|terms| (about 8.9 here) does, and rejects a difference of 100
        double inOrder = (1e16 + 1) - 1e16;
        double reordered = (1e16 - 1e16) + 1;
        assertTrue(inOrder == 0 && reordered == 1);
        Csr magnitude = oneEntry(1e16 + 1 + 1e16);
        double factor = 2.0 * (3 - 1) * 0x1.0p-53;
        assertNull(oneEntry(inOrder).firstDifference(oneEntry(reordered), magnitude, factor));
        assertNotNull(oneEntry(0).firstDifference(oneEntry(100), magnitude, factor));
        assertNotNull(oneEntry(inOrder).firstDifference(oneEntry(reordered), 1e-12), "relative test rejects it");
        // structure still has to match exactly
        Csr empty = new Csr(1, 1, new int[] {0, 0}, new int[0], new double[0]);
        assertNotNull(oneEntry(1).firstDifference(empty, magnitude, factor));
    }
}
