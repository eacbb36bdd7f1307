package dev.sieve.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.workload.Layer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both code paths of {@link GemmKernel} (the Vector API micro-kernel with fused multiply-adds and the
 * scalar loops) give the bits of the reference loops of {@link ExactGemm}: in Java {@code float}
 * on BF16 operands (where a fused multiply-add equals multiply-then-add because BF16 x BF16 products are
 * exact), and, through {@link SatDevice}, in Sieve's datapath arithmetic ({@code Fp32Ops}) on adversarial
 * operands: rounding ties, sums that overflow, products at 2^128 and above (where a fused multiply-add
 * would round differently), subnormal products, infinities and NaNs.
 */
class GemmKernelPathsTest {

    @Test
    void theVectorPathIsThereWhenTheModuleIsLoaded() {
        // surefire starts the JVM with --add-modules jdk.incubator.vector (sw-driver/pom.xml), so the fast
        // path under test is really the vector one
        assertTrue(GemmKernel.vectorAvailable(), "jdk.incubator.vector is loaded in the test JVM");
        try (GemmKernel k = new GemmKernel(2)) {
            assertEquals(GemmKernel.Path.VECTOR, k.path());
        }
    }

    /**
     * Shapes around the micro-kernel's blocks (6 rows, 4 vectors of columns, row chunks chosen per shape and
     * thread count): rows and columns not multiples of them, single rows and columns, tiles longer than the
     * reduction, A read transposed (as the data-gradient pass reads W_b^T), more rows than the tallest
     * chunk (500), and 1, 2 and 3 threads (each gives other row chunks and lets the calling thread work).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GemmKernel.Path.class)
    void everyPathEqualsTheReferenceLoopsOnRandomShapes(GemmKernel.Path path) {
        SplittableRandom rng = new SplittableRandom(20);
        int[][] shapes = {{1, 1, 1}, {6, 64, 8}, {7, 65, 9}, {13, 100, 33}, {48, 64, 128}, {50, 130, 300},
            {128, 288, 40}, {5, 17, 1000}, {97, 3, 70}, {10, 64, 6272}, {500, 64, 20}, {300, 640, 16}};
        int[] tiles = {1, 3, 32, 128, 100_000};
        try (GemmKernel one = new GemmKernel(1, path); GemmKernel two = new GemmKernel(2, path);
             GemmKernel three = new GemmKernel(3, path)) {
            for (int[] s : shapes) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                for (boolean transposed : new boolean[] {false, true}) {
                    int tile = tiles[rng.nextInt(tiles.length)];
                    float[] a = bf16Values(m * k, rng);
                    float[] b = bf16Values(k * n, rng);
                    int ars = transposed ? 1 : k;
                    int acs = transposed ? m : 1;
                    float[] expected = reference(m, n, k, a, ars, acs, b, tile);
                    float[] c1 = new float[m * n];
                    float[] c2 = new float[m * n];
                    float[] c3 = new float[m * n];
                    one.run(m, n, k, a, 0, ars, acs, b, c1, tile);
                    two.run(m, n, k, a, 0, ars, acs, b, c2, tile);
                    three.run(m, n, k, a, 0, ars, acs, b, c3, tile);
                    String what = path + " " + m + "x" + k + "x" + n + " tile " + tile + (transposed ? " A^T" : "");
                    assertBits(expected, c1, what + " 1 thread");
                    assertBits(expected, c2, what + " 2 threads");
                    assertBits(expected, c3, what + " 3 threads");
                }
            }
        }
    }

    /**
     * The vector path copies a panel's reduction tile of B into a contiguous block when the task has at
     * least 48 rows and the tile at most 1,024 positions, and reads B in place otherwise: tiles of 7, 1,024
     * (packed, then a packed tail of 476) and 1,500 (in place) on 120 rows x 512 columns (8 full panels; one
     * 120-row chunk per panel on one thread, two of 60 on two), A row-major and transposed.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GemmKernel.Path.class)
    void packedAndInPlacePanelsGiveTheReferenceBits(GemmKernel.Path path) {
        SplittableRandom rng = new SplittableRandom(21);
        int m = 120;
        int n = 512;
        int k = 1500;
        try (GemmKernel one = new GemmKernel(1, path); GemmKernel two = new GemmKernel(2, path)) {
            for (int tile : new int[] {7, 1024, 1500}) {
                for (boolean transposed : new boolean[] {false, true}) {
                    float[] a = bf16Values(m * k, rng);
                    float[] b = bf16Values(k * n, rng);
                    int ars = transposed ? 1 : k;
                    int acs = transposed ? m : 1;
                    float[] expected = reference(m, n, k, a, ars, acs, b, tile);
                    float[] c1 = new float[m * n];
                    float[] c2 = new float[m * n];
                    one.run(m, n, k, a, 0, ars, acs, b, c1, tile);
                    two.run(m, n, k, a, 0, ars, acs, b, c2, tile);
                    String what = path + " tile " + tile + (transposed ? " A^T" : "");
                    assertBits(expected, c1, what + " 1 thread");
                    assertBits(expected, c2, what + " 2 threads");
                }
            }
        }
    }

    /**
     * The row chunk of a task: a multiple of the micro-kernel's rows, at most the tallest chunk, covering
     * the rows with as few chunks as keep 8 tasks per thread (widecnn's conv2 forward pass, 128 x 12,544
     * outputs = 196 panels of 64 columns: one chunk of all 128 rows, so B is read once; conv2's weight
     * gradient, 128 x 288 = 5 panels: chunks of 30 rows, 25 tasks for 2 threads).
     */
    @Test
    void rowChunksAreAsTallAsTheThreadsAllow() {
        org.junit.jupiter.api.Assumptions.assumeTrue(GemmKernel.vectorAvailable());
        if (VectorGemm.lanes() == 16) { // panels of 64 columns (AVX-512)
            assertEquals(132, VectorGemm.rowChunk(128, 12544, 2), "22 blocks of 6 rows in one chunk");
            assertEquals(30, VectorGemm.rowChunk(128, 288, 2), "4 chunks wanted, 5 blocks each");
            assertEquals(25, VectorGemm.tasks(128, 288, 30));
        }
        for (int m : new int[] {1, 5, 6, 7, 128, 288, 481, 1152, 5000}) {
            for (int n : new int[] {1, 64, 288, 3136, 12544}) {
                for (int threads : new int[] {1, 2, 3, 8}) {
                    int r = VectorGemm.rowChunk(m, n, threads);
                    String what = m + "x" + n + " on " + threads + " threads: chunk " + r;
                    assertEquals(0, r % VectorGemm.MR, what);
                    assertTrue(r > 0 && r <= VectorGemm.MAX_ROW_CHUNK, what);
                    int blocks = (m + VectorGemm.MR - 1) / VectorGemm.MR;
                    int chunks = (m + r - 1) / r;
                    assertTrue(VectorGemm.tasks(m, n, r) >= 8 * threads || chunks == blocks, what);
                }
            }
        }
    }

    /**
     * Rounding ties on every add: products of 1, 2^-24 and 3 * 2^-25 fall exactly halfway between FP32
     * neighbours of 1 and 2, so round-to-nearest-even decides them and any change of order or rounding
     * (a split sum, a double rounding) changes bits.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GemmKernel.Path.class)
    void tiesRoundToEvenAsInTheReference(GemmKernel.Path path) {
        float[] pool = {1f, -1f, 0x1p-24f, -0x1p-24f, 0x1.8p-24f, 0x1p-23f, 0.5f, 2f, 0x1.02p0f};
        SplittableRandom rng = new SplittableRandom(21);
        int m = 20;
        int n = 70;
        int k = 200;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = pool[rng.nextInt(pool.length)];
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextInt(4) == 0 ? pool[rng.nextInt(pool.length)] : 1f;
        }
        float[] expected = reference(m, n, k, a, k, 1, b, 64);
        float[] c = new float[m * n];
        try (GemmKernel kernel = new GemmKernel(2, path)) {
            kernel.run(m, n, k, a, 0, k, 1, b, c, 64);
        }
        assertBits(expected, c, path + " ties");
        int inexact = 0;
        for (int i = 0; i < c.length; i++) {
            double exact = 0;
            for (int kk = 0; kk < k; kk++) {
                exact += (double) a[i / n * k + kk] * b[kk * n + i % n];
            }
            inexact += exact != c[i] ? 1 : 0;
        }
        assertTrue(inexact > c.length / 4, "the data makes rounding matter: " + inexact + " of " + c.length + " inexact");
    }

    /**
     * Through the SAT device, every path equals the Fp32Ops reference on operands that leave the fast
     * path's safe range: huge values whose products reach 2^128 beside partial sums that cancel them (a
     * fused multiply-add would give a finite result where the datapath overflows), sums that overflow
     * from finite products, subnormal products, infinities and NaNs.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GemmKernel.Path.class)
    void adversarialOperandsEqualTheDatapathReference(GemmKernel.Path path) {
        Layer layer = Layer.conv("conv", 6, 6, 3, 3, 16, 16, 1);
        int batch = 8;
        int f = layer.outputs();
        int k = layer.reduction();
        int pv = (int) layer.vectors(batch);
        for (int variant = 0; variant < 4; variant++) {
            SplittableRandom rng = new SplittableRandom(22 + variant);
            float[] w = new float[f * k];
            float[] x = new float[k * pv];
            for (int i = 0; i < w.length; i++) {
                w[i] = adversarial(variant, rng);
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = adversarial(variant, rng);
            }
            try (SatDevice sat = new SatDevice(SatDevice.defaultConfig(), 2, path)) {
                CpuDevice ref = new CpuDevice(Arithmetic.BF16_FP32, sat::reductionTile);
                for (String nm : new String[] {"dense", "2:8"}) {
                    NmPattern p = NmPattern.parse(nm);
                    NmWeights ws = sat.pregen(layer, 1, sat.wrap("w", w), p, BackwardMaskSource.DENSE, null);
                    NmWeights wr = ref.pregen(layer, 1, ref.wrap("w", w), p, BackwardMaskSource.DENSE, null);
                    PassGemm fwd = Bdwp.forward(layer, 1, batch, p);
                    float[] ys = new float[f * pv];
                    float[] yr = new float[f * pv];
                    sat.gemm(fwd, ws.forwardOperand(), Matrix.of(sat.wrap("x", x), k, pv),
                            Matrix.of(sat.wrap("y", ys), f, pv));
                    ref.gemm(fwd, wr.forwardOperand(), Matrix.of(ref.wrap("x", x), k, pv),
                            Matrix.of(ref.wrap("y", yr), f, pv));
                    assertBits(yr, ys, path + " variant " + variant + " " + nm);
                }
            }
        }
    }

    /**
     * Weight gradients with at least {@link SatDevice#SWAP_MIN_ROWS} outputs run as {@code C^T = B^T A^T};
     * they equal the reference on ordinary operands (swapped form) and on subnormal-range ones (where the
     * device falls back to the direct form with its exact outputs).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GemmKernel.Path.class)
    void weightGradientsComputedAsTheTransposedProductEqualTheReference(GemmKernel.Path path) {
        Layer layer = Layer.conv("conv", 6, 6, 3, 3, 16, SatDevice.SWAP_MIN_ROWS, 1);
        int batch = 8;
        int f = layer.outputs();
        int k = layer.reduction();
        int pv = (int) layer.vectors(batch);
        for (int variant : new int[] {-1, 1}) {
            SplittableRandom rng = new SplittableRandom(30 + variant);
            float[] dy = new float[f * pv];
            float[] x = new float[k * pv];
            for (int i = 0; i < dy.length; i++) {
                dy[i] = variant < 0 ? (float) rng.nextGaussian() : adversarial(variant, rng);
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = variant < 0 ? (float) rng.nextGaussian() : adversarial(variant, rng);
            }
            try (SatDevice sat = new SatDevice(SatDevice.defaultConfig(), 2, path)) {
                CpuDevice ref = new CpuDevice(Arithmetic.BF16_FP32, sat::reductionTile);
                PassGemm wg = Bdwp.weightGradient(layer, 1, batch);
                float[] dws = new float[f * k];
                float[] dwr = new float[f * k];
                sat.gemm(wg, Operand.dense(Matrix.of(sat.wrap("dy", dy), f, pv)), Matrix.of(sat.wrap("x", x), k, pv).t(),
                        Matrix.of(sat.wrap("dw", dws), f, k));
                ref.gemm(wg, Operand.dense(Matrix.of(ref.wrap("dy", dy), f, pv)), Matrix.of(ref.wrap("x", x), k, pv).t(),
                        Matrix.of(ref.wrap("dw", dwr), f, k));
                assertBits(dwr, dws, path + " weight gradient variant " + variant);
                assertEquals(variant > 0, sat.counters().exactOutputs() > 0, "exact outputs only in the subnormal case");
            }
        }
    }

    /** A product-overflow case where fusing would change the result, checked to be routed exactly. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GemmKernel.Path.class)
    void aProductAt2To128BesideACancellingSumOverflowsAsTheDatapathDoes(GemmKernel.Path path) {
        // tile of 2 products: -3e38 (from -1.5 * 2e38) then 2^64 * 2^64 = 2^128: the datapath rounds the
        // product to +Inf, so the sum is +Inf; a fused multiply-add would return -3e38 + 2^128, finite
        Layer layer = Layer.gemm("fc", 1, 1, 2);
        PassGemm g = Bdwp.forward(layer, 1, 1, NmPattern.DENSE);
        float[] a = {Bf16Rounding.round(-1.5f), 0x1p64f};
        float[] b = {Bf16Rounding.round(2e38f), 0x1p64f};
        float[] c = new float[1];
        try (SatDevice sat = new SatDevice(SatDevice.defaultConfig(), 1, path)) {
            sat.gemm(g, Operand.dense(Matrix.of(sat.wrap("a", a), 1, 2)), Matrix.of(sat.wrap("b", b), 2, 1),
                    Matrix.of(sat.wrap("c", c), 1, 1));
            assertEquals(Float.POSITIVE_INFINITY, c[0]);
            assertEquals(1, sat.counters().exactOutputs(), "the output took the exact path");
        }
    }

    private static float adversarial(int variant, SplittableRandom rng) {
        double r = rng.nextDouble();
        double g = rng.nextGaussian();
        return switch (variant) {
            case 0 -> r < 0.1 ? (float) Math.scalb(g, 63) : r < 0.2 ? (float) Math.scalb(g, 64) : (float) Math.scalb(g, 60);
            case 1 -> r < 0.3 ? (float) Math.scalb(g, -70) : (float) g; // subnormal products
            case 2 -> r < 0.01 ? Float.POSITIVE_INFINITY : r < 0.02 ? Float.NaN : r < 0.03 ? Float.NEGATIVE_INFINITY
                    : (float) g;
            default -> r < 0.5 ? (float) Math.scalb(g, 120) : (float) Math.scalb(g, -120); // overflow and underflow
        };
    }

    private static float[] bf16Values(int n, SplittableRandom rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextInt(5) == 0 ? 0f : Bf16Rounding.round((float) Math.scalb(rng.nextGaussian(), rng.nextInt(-8, 8)));
        }
        return v;
    }

    /** {@link ExactGemm} in Java {@code float}: per output, tile sums of left-to-right products added onto a zero output. */
    private static float[] reference(int m, int n, int k, float[] a, int ars, int acs, float[] b, int tile) {
        CpuDevice cpu = CpuDevice.fp32();
        Matrix am = acs == 1 ? Matrix.of(cpu.wrap("a", a), m, k) : Matrix.of(cpu.wrap("a", a), k, m).t();
        assertEquals(ars, am.rowStride());
        float[] c = new float[m * n];
        ExactGemm.run(Arithmetic.FP32, Operand.dense(am), Matrix.of(cpu.wrap("b", b), k, n),
                Matrix.of(cpu.wrap("c", c), m, n), tile);
        return c;
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + ": output " + i + " reference " + expected[i] + " kernel " + actual[i]);
        }
    }
}
