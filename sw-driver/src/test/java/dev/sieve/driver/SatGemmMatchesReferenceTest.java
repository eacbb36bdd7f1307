package dev.sieve.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.workload.Layer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SAT backend's GEMM (fast float kernel plus its exact fallback) equals the CPU reference run in
 * the same number format (BF16 operands, Fp32Ops products and sums) and the same reduction order (the
 * SAT schedule's tile), bit for bit, for all three BDWP passes, dense and N:M, including operands
 * that reach the subnormal range and non-finite values.
 */
class SatGemmMatchesReferenceTest {
    private final SatDevice sat = new SatDevice(SatDevice.defaultConfig(), 2);
    private final CpuDevice ref = new CpuDevice(Arithmetic.BF16_FP32, sat::reductionTile);

    @AfterEach
    void close() {
        sat.close();
    }

    /** A conv layer of 16 channels in, 16 out, 6x6 ifmap (with padding): K = 144, P = 16 * batch. */
    private static final Layer LAYER = Layer.conv("conv", 6, 6, 3, 3, 16, 16, 1);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dense", "2:4", "2:8", "1:4", "1:8"})
    void allThreePassesMatchTheReferenceBitForBit(String nm) {
        NmPattern p = NmPattern.parse(nm);
        for (int scale : new int[] {0, 60}) {
            run(p, scale, false);
        }
    }

    @Test
    void infinitiesAndNaNsGiveTheReferenceResultWithACanonicalNaN() {
        run(NmPattern.parse("2:8"), 0, true);
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        try (SatDevice one = new SatDevice(SatDevice.defaultConfig(), 1)) {
            int batch = 8;
            PassGemm g = Bdwp.forward(LAYER, 1, batch, NmPattern.DENSE);
            float[] a = random(16 * 144, 0, new SplittableRandom(3));
            float[] b = random(144 * 16 * batch, 0, new SplittableRandom(4));
            float[] c1 = new float[16 * 16 * batch];
            float[] c2 = c1.clone();
            one.gemm(g, Operand.dense(Matrix.of(one.wrap("a", a), 16, 144)), Matrix.of(one.wrap("b", b), 144, 16 * batch),
                    Matrix.of(one.wrap("c", c1), 16, 16 * batch));
            sat.gemm(g, Operand.dense(Matrix.of(sat.wrap("a", a), 16, 144)), Matrix.of(sat.wrap("b", b), 144, 16 * batch),
                    Matrix.of(sat.wrap("c", c2), 16, 16 * batch));
            assertBits(c2, c1, "1 vs 2 threads");
        }
    }

    private void run(NmPattern p, int scale, boolean nonFinite) {
        int batch = 36; // P = 576: two column chunks of the kernel
        SplittableRandom rng = new SplittableRandom(scale * 31L + p.m() * 7L + p.n());
        int f = LAYER.outputs();
        int k = LAYER.reduction();
        int pv = (int) LAYER.vectors(batch);
        float[] w = random(f * k, 0, rng);
        float[] x = random(k * pv, scale, rng);
        float[] dy = random(f * pv, scale, rng);
        if (nonFinite) {
            x[5] = Float.POSITIVE_INFINITY;
            x[k * pv / 2] = Float.NaN;
            dy[7] = Float.NEGATIVE_INFINITY;
        }
        NmWeights ws = sat.pregen(LAYER, 1, sat.wrap("w", w), p, BackwardMaskSource.DENSE, null);
        NmWeights wr = ref.pregen(LAYER, 1, ref.wrap("w", w), p, BackwardMaskSource.DENSE, null);
        // forward: Y[F][P] = W_f * X
        PassGemm fwd = Bdwp.forward(LAYER, 1, batch, p);
        float[] ys = new float[f * pv];
        float[] yr = new float[f * pv];
        sat.gemm(fwd, ws.forwardOperand(), Matrix.of(sat.wrap("x", x), k, pv), Matrix.of(sat.wrap("y", ys), f, pv));
        ref.gemm(fwd, wr.forwardOperand(), Matrix.of(ref.wrap("x", x), k, pv), Matrix.of(ref.wrap("y", yr), f, pv));
        assertBits(yr, ys, p + " forward scale " + scale);
        // data gradient: dX[K][P] = W_b^T * dY
        PassGemm dg = Bdwp.dataGradient(LAYER, 1, batch, p);
        float[] dxs = new float[k * pv];
        float[] dxr = new float[k * pv];
        sat.gemm(dg, ws.backwardOperand(), Matrix.of(sat.wrap("dy", dy), f, pv), Matrix.of(sat.wrap("dx", dxs), k, pv));
        ref.gemm(dg, wr.backwardOperand(), Matrix.of(ref.wrap("dy", dy), f, pv), Matrix.of(ref.wrap("dx", dxr), k, pv));
        assertBits(dxr, dxs, p + " data gradient scale " + scale);
        // weight gradient: dW[F][K] = dY * X^T (B stored transposed)
        PassGemm wg = Bdwp.weightGradient(LAYER, 1, batch);
        float[] dws = new float[f * k];
        float[] dwr = new float[f * k];
        sat.gemm(wg, Operand.dense(Matrix.of(sat.wrap("dy", dy), f, pv)), Matrix.of(sat.wrap("x", x), k, pv).t(),
                Matrix.of(sat.wrap("dw", dws), f, k));
        ref.gemm(wg, Operand.dense(Matrix.of(ref.wrap("dy", dy), f, pv)), Matrix.of(ref.wrap("x", x), k, pv).t(),
                Matrix.of(ref.wrap("dw", dwr), f, k));
        assertBits(dwr, dws, p + " weight gradient scale " + scale);
        if (scale >= 60 || nonFinite) {
            assertTrue(sat.counters().exactOutputs() > 0, "the case reaches the exact path");
        }
    }

    /** Gaussian values times 2^-scale, a quarter of them zero, some tiny ones at 2^-(scale+50). */
    private static float[] random(int n, int scale, SplittableRandom rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double r = rng.nextDouble();
            double g = rng.nextGaussian();
            v[i] = r < 0.25 ? 0f : (float) Math.scalb(g, -(r < 0.3 ? scale + 50 : scale));
        }
        return v;
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + ": output " + i + " reference " + expected[i] + " SAT " + actual[i]);
        }
    }
}
