package dev.sieve.sim.spatten;

import dev.sieve.dataflow.spatten.SpAttenPolicy;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The functional path in 12-bit fixed point: with pruning off it equals the independently written
 * {@link ReferenceAttention} bit for bit; with pruning on its error is measured and grows with pruning.
 */
class FixedPointAttentionTest {

    private static int[][][][] uniform(int heads, int tokens, int d, long seed, int range) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][][][] qkv = new int[3][heads][tokens][d];
        for (int[][][] m : qkv) {
            for (int[][] h : m) {
                for (int[] t : h) {
                    for (int c = 0; c < d; c++) {
                        t[c] = r.nextInt(-range, range);
                    }
                }
            }
        }
        return qkv;
    }

    @ParameterizedTest(name = "{0} heads x {1} tokens x d={2}, values in +-{3}")
    @CsvSource({"1, 1, 4, 2048", "2, 17, 16, 2048", "3, 40, 64, 300", "2, 64, 64, 2048", "1, 33, 8, 5"})
    void pruningOffEqualsTheReferenceExactly(int heads, int tokens, int d, int range) {
        int[][][][] x = uniform(heads, tokens, d, heads * 1000L + tokens, range);
        FixedPointAttention.Result r = FixedPointAttention.run(x[0], x[1], x[2], new long[tokens], new long[heads],
                FixedPointAttention.Pruning.off(tokens, heads));
        int[][][] ref = ReferenceAttention.attention(x[0], x[1], x[2]);
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < tokens; i++) {
                assertArrayEquals(ref[h][i], r.out()[h][i], "head " + h + " query " + i);
            }
        }
        assertEquals(0, r.refetchRows());
    }

    @Test
    void peakedSyntheticLayersAlsoMatchTheReference() {
        int[][][][] x = FixedPointAttention.syntheticLayer(2, 96, 64, 5, 6);
        FixedPointAttention.Result r = FixedPointAttention.run(x[0], x[1], x[2], new long[96], new long[2],
                FixedPointAttention.Pruning.off(96, 2));
        assertTrue(java.util.Arrays.deepEquals(ReferenceAttention.attention(x[0], x[1], x[2]), r.out()));
    }

    @Test
    void errorGrowsWithTokenPruningAndStaysSmallWhenMild() {
        SpAttenPolicy mild = SpAttenPolicy.paper().withPruning(0.1, 0.0, 0.0);
        SpAttenPolicy hard = SpAttenPolicy.paper().withPruning(0.8, 0.0, 0.0);
        FixedPointAttention.ErrorReport a = FixedPointAttention.syntheticCheck(mild, 2, 64, 128, 3);
        FixedPointAttention.ErrorReport b = FixedPointAttention.syntheticCheck(hard, 2, 64, 128, 3);
        assertTrue(a.exactWhenOff() && b.exactWhenOff());
        assertTrue(a.relativeL2() < b.relativeL2(), a + " vs " + b);
        assertTrue(a.relativeL2() < 0.05, a.toString());
    }

    @Test
    void progressiveQuantizationRefetchesSomeRowsAtTauPointOne() {
        FixedPointAttention.ErrorReport e = FixedPointAttention.syntheticCheck(
                SpAttenPolicy.paper().withPruning(0, 0, 0), 2, 64, 128, 11);
        assertTrue(e.refetchFraction() > 0 && e.refetchFraction() < 0.5, e.toString());
        assertTrue(e.relativeL2() < 0.1, "8 MSBs plus refetch stay close: " + e);
    }

    @Test
    void prunedHeadsProduceNothing() {
        int[][][][] x = uniform(3, 8, 4, 1, 500);
        FixedPointAttention.Result r = FixedPointAttention.run(x[0], x[1], x[2], new long[8], new long[] {5, 1, 9},
                new FixedPointAttention.Pruning(8, 2, 8, 12, 0));
        assertArrayEquals(new boolean[] {true, false, true}, r.headKept());
        for (int[] row : r.out()[1]) {
            assertArrayEquals(new int[4], row);
        }
    }

    @Test
    void keepingMoreTokensThanExistIsTopKWithKAboveN() {
        int[][][][] x = uniform(1, 8, 4, 1, 500);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FixedPointAttention.run(x[0],
                x[1], x[2], new long[8], new long[1], new FixedPointAttention.Pruning(9, 1, 8, 12, 0)));
        assertTrue(e.getMessage().contains("top-k needs 1 <= k <= n"), e.getMessage());
    }
}
