package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.dataflow.sparse.Rmat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every algorithm's product equals the independent map-of-maps reference exactly. Values are small
 * integers, so every partial sum is an integer far below 2^53 and floating-point addition is exact
 * in any order: a difference can only be a wrong or missing product.
 */
class SpgemmProductTest {

    /** 2 cores x (2 MT pipelines x 4 threads + 1 ST pipeline): 18 threads, enough to interleave. */
    static final PiumaConfig SMALL = new PiumaConfig(2, 2, 4, 1, 64L << 10, 4, 4096, 8, 3, 120, 16, 8, 1, 6, 20);

    /** The same with a 16 KiB scratchpad: forces many windows (V1/V2), pool waits and column bands. */
    static final PiumaConfig TINY_SPAD = new PiumaConfig(2, 2, 4, 1, 16L << 10, 4, 4096, 8, 3, 120, 16, 8, 1, 6, 20);

    private static void assertSameProduct(Algorithm alg, Csr a, Csr b, PiumaConfig cfg) {
        SpgemmRun run = alg.start(a, b, cfg, true);
        Untimed.run(run);
        Csr want = ReferenceSpgemm.multiply(a, b);
        Csr got = run.product();
        assertNull(want.firstDifference(got), alg + " differs from the reference");
        assertEquals(want, got);
        assertEquals(want.nnz(), run.productNnz());
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void rmatSquaredEqualsReference(Algorithm alg) {
        Csr a = Rmat.generateValued(8, 8, 42, 5);
        assertSameProduct(alg, a, a, SMALL);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void rmatTimesAnotherRmatEqualsReference(Algorithm alg) {
        Csr a = Rmat.generateValued(7, 6, 1, 9);
        Csr b = Rmat.generateValued(7, 10, 2, 9);
        assertSameProduct(alg, a, b, SMALL);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aTimingRunCountsTheProductsEntriesWithoutKeepingThem(Algorithm alg) {
        // runs that do not keep C (every timed baseline) still count its entries, each algorithm its
        // own way (the outer product's merge counts a row's distinct columns)
        Csr a = Rmat.generateValued(9, 16, 7, 3);
        SpgemmRun run = alg.start(a, a, SMALL, false);
        Untimed.run(run);
        assertEquals(ReferenceSpgemm.multiply(a, a).nnz(), run.productNnz(), alg.cliName());
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void tinyScratchpadStillGivesTheExactProduct(Algorithm alg) {
        Csr a = Rmat.generateValued(9, 16, 7, 3);
        assertSameProduct(alg, a, a, TINY_SPAD);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void defaultMachineOnRectangularRandomMatrices(Algorithm alg) {
        Csr a = random(50, 80, 0.08, 11);
        Csr b = random(80, 30, 0.1, 12);
        assertSameProduct(alg, a, b, PiumaConfig.defaults());
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void emptyAndSingleEntryMatrices(Algorithm alg) {
        Csr empty = new Csr(5, 5, new int[6], new int[0], new double[0]);
        assertSameProduct(alg, empty, empty, SMALL);
        Csr one = new Csr(1, 1, new int[] {0, 1}, new int[] {0}, new double[] {3});
        assertSameProduct(alg, one, one, SMALL);
    }

    @Test
    void smashCountsProbesAndCollisions() {
        Csr a = Rmat.generate(9, 16, 3);
        SpgemmRun run = Algorithm.SMASH_V1.start(a, a, SMALL, false);
        Untimed.run(run);
        // every partial product probes at least once; the first probe of each insert is not a collision
        assertEquals(run.flops(), run.hashProbes() - run.hashCollisions());
        assertTrue(run.hashCollisions() > 0, "a half-full linear-probing table collides sometimes");
    }

    @Test
    void outerProductWritesEveryPartialProduct() {
        Csr a = Rmat.generate(8, 8, 5);
        SpgemmRun run = Algorithm.OUTER.start(a, a, SMALL, false);
        Untimed.run(run);
        assertEquals(run.flops(), run.partialProducts());
    }

    static Csr random(int rows, int cols, double density, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        java.util.List<int[]> e = new java.util.ArrayList<>();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (r.nextDouble() < density) {
                    e.add(new int[] {i, j, 1 + r.nextInt(7)});
                }
            }
        }
        int[] ri = new int[e.size()];
        int[] ci = new int[e.size()];
        double[] v = new double[e.size()];
        for (int n = 0; n < e.size(); n++) {
            ri[n] = e.get(n)[0];
            ci[n] = e.get(n)[1];
            v[n] = e.get(n)[2];
        }
        return new dev.sieve.dataflow.sparse.Coo(rows, cols, ri, ci, v).toCsr();
    }
}
