package dev.sieve.driver.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.driver.CpuDevice;
import dev.sieve.driver.Device;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every layer's backward pass against central differences of {@code L = sum(forward(x) * g)} for a
 * random upstream gradient g, on the FP32 CPU reference (dense weights, so the loss is smooth apart
 * from ReLU and max-pool kinks, which random inputs avoid with probability one).
 */
class FiniteDifferenceTest {
    private static final double EPS = 1e-2;
    private final Device cpu = CpuDevice.fp32();

    @Test
    void conv2dWithPaddingMatchesFiniteDifferences() {
        check(() -> new Conv2d(cpu, "conv", 1, false, 5, 4, 3, 4, 3, 1, NmPattern.DENSE, BackwardMaskSource.DENSE),
                new int[] {3, 2, 5, 4});
    }

    /** Stride 2 with padding on odd and even sizes (widecnn's stem: 28 x 28 -> 14 x 14): 7 x 6 -> 4 x 3. */
    @Test
    void stridedConv2dMatchesFiniteDifferences() {
        check(() -> new Conv2d(cpu, "conv", 1, false, 7, 6, 2, 3, 3, 1, 2, NmPattern.DENSE, BackwardMaskSource.DENSE),
                new int[] {2, 2, 7, 6});
    }

    @Test
    void linearMatchesFiniteDifferences() {
        check(() -> new Linear(cpu, "fc", 1, false, 6, 5, NmPattern.DENSE, BackwardMaskSource.DENSE), new int[] {6, 3, 1, 1});
    }

    @Test
    void reluMatchesFiniteDifferences() {
        check(() -> new Relu("relu"), new int[] {2, 3, 2, 2});
    }

    @Test
    void maxPoolMatchesFiniteDifferences() {
        check(() -> new MaxPool("pool", 2), new int[] {2, 2, 4, 4});
    }

    @Test
    void flattenMatchesFiniteDifferences() {
        check(() -> new Flatten("flat"), new int[] {3, 2, 2, 2});
    }

    @Test
    void softmaxCrossEntropyGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(5);
        int k = 4;
        int b = 3;
        float[] z = new float[k * b];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        int[] y = {1, 3, 0};
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.apply(new Act(z, k, b, 1, 1), y, 0);
        for (int i = 0; i < z.length; i++) {
            float[] zp = z.clone();
            float[] zm = z.clone();
            zp[i] += (float) EPS;
            zm[i] -= (float) EPS;
            double fd = (SoftmaxCrossEntropy.apply(new Act(zp, k, b, 1, 1), y, 0).loss()
                    - SoftmaxCrossEntropy.apply(new Act(zm, k, b, 1, 1), y, 0).loss()) / (2 * EPS);
            assertEquals(fd, r.grad().data()[i], 1e-3, "logit " + i);
        }
    }

    private static void check(Supplier<Module> make, int[] shape) {
        SplittableRandom rng = new SplittableRandom(11);
        Module m = make.get();
        if (m instanceof GemmLayer g) {
            g.init(rng);
            for (int i = 0; i < g.bias().value().length; i++) {
                g.bias().value()[i] = (float) rng.nextGaussian() * 0.1f;
            }
        }
        Act x = Act.zeros(shape[0], shape[1], shape[2], shape[3]);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = (float) rng.nextGaussian();
        }
        Act y = forward(m, x);
        float[] g = new float[y.data().length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) rng.nextGaussian();
        }
        Act dx = m.backward(new Act(g, y.c(), y.b(), y.h(), y.w()));
        for (int i = 0; i < x.data().length; i++) {
            double fd = diff(m, x, g, x.data(), i);
            assertClose(fd, dx.data()[i], "input " + i);
        }
        for (Param p : m.params()) {
            float[] analytic = p.grad().clone();
            for (int i = 0; i < p.value().length; i++) {
                double fd = diff(m, x, g, p.value(), i);
                assertClose(fd, analytic[i], p.name() + "[" + i + "]");
            }
        }
    }

    private static Act forward(Module m, Act x) {
        if (m instanceof GemmLayer gl) {
            gl.pregen();
        }
        return m.forward(x);
    }

    private static double diff(Module m, Act x, float[] g, float[] target, int i) {
        float keep = target[i];
        target[i] = (float) (keep + EPS);
        double lp = dot(forward(m, x).data(), g);
        target[i] = (float) (keep - EPS);
        double lm = dot(forward(m, x).data(), g);
        target[i] = keep;
        forward(m, x);
        return (lp - lm) / (2 * EPS);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 2e-3 + 2e-3 * Math.abs(expected),
                what + ": finite difference " + expected + ", backward " + actual);
    }
}
