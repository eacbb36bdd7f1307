package dev.sieve.driver.bdwp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.NmAxis;
import dev.sieve.dataflow.sat.NmCompressor;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.driver.NmMasks;
import dev.sieve.driver.NmWeights;
import dev.sieve.driver.SatDevice;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * BDWP masks: the forward mask keeps exactly N of every M consecutive weights along the input
 * channels (each row of W[F][K]), the backward mask exactly N of every M along the output channels
 * (each column), both chosen as the SAT pre-generation golden model {@link NmCompressor} chooses.
 */
class NmMaskPropertiesTest {

    @Provide
    Arbitrary<NmPattern> patterns() {
        return Arbitraries.of(new NmPattern(2, 4), new NmPattern(1, 4), new NmPattern(2, 8), new NmPattern(1, 8),
                new NmPattern(4, 8));
    }

    @Property(tries = 200)
    void forwardMaskIsExactlyNmAlongInputChannelsAndMatchesTheGoldenCompressor(
            @ForAll("patterns") NmPattern p, @ForAll @IntRange(min = 1, max = 4) int rowGroups,
            @ForAll @IntRange(min = 1, max = 4) int colGroups, @ForAll long seed) {
        int rows = rowGroups * p.m();
        int cols = colGroups * p.m();
        float[] w = weights(rows * cols, seed);
        boolean[] keep = new boolean[w.length];
        NmMasks.keep(w, rows, cols, p, NmAxis.INPUT_CHANNELS, keep);
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < cols; g += p.m()) {
                int kept = 0;
                for (int i = 0; i < p.m(); i++) {
                    kept += keep[r * cols + g + i] ? 1 : 0;
                }
                assertEquals(p.n(), kept, "row " + r + " group at " + g);
            }
        }
        assertSameAsGolden(w, rows, cols, p, NmAxis.INPUT_CHANNELS, keep);
    }

    @Property(tries = 200)
    void backwardMaskIsExactlyNmAlongOutputChannelsAndMatchesTheGoldenCompressor(
            @ForAll("patterns") NmPattern p, @ForAll @IntRange(min = 1, max = 4) int rowGroups,
            @ForAll @IntRange(min = 1, max = 4) int colGroups, @ForAll long seed) {
        int rows = rowGroups * p.m();
        int cols = colGroups * p.m();
        float[] w = weights(rows * cols, seed);
        boolean[] keep = new boolean[w.length];
        NmMasks.keep(w, rows, cols, p, NmAxis.OUTPUT_CHANNELS, keep);
        for (int c = 0; c < cols; c++) {
            for (int g = 0; g < rows; g += p.m()) {
                int kept = 0;
                for (int i = 0; i < p.m(); i++) {
                    kept += keep[(g + i) * cols + c] ? 1 : 0;
                }
                assertEquals(p.n(), kept, "column " + c + " group at " + g);
            }
        }
        assertSameAsGolden(w, rows, cols, p, NmAxis.OUTPUT_CHANNELS, keep);
    }

    @Property(tries = 60)
    void preGeneratedOperandsHoldOnlyKeptWeightsAndForwardPrunedBackwardIsASubset(
            @ForAll("patterns") NmPattern p, @ForAll long seed) {
        Layer layer = Layer.conv("c", 3, 3, 1, 1, 2 * p.m(), 2 * p.m(), 1);
        int f = layer.outputs();
        int k = layer.reduction();
        float[] w = weights(f * k, seed);
        try (SatDevice d = new SatDevice(SatDevice.defaultConfig(), 1)) {
            NmWeights dense = d.pregen(layer, 0, d.wrap("w", w), p, BackwardMaskSource.DENSE, null);
            NmWeights pruned = d.pregen(layer, 0, d.wrap("w", w), p, BackwardMaskSource.FORWARD_PRUNED, null);
            for (int i = 0; i < w.length; i++) {
                assertEquals(dense.forwardKeep()[i], pruned.forwardKeep()[i]);
                if (!dense.forwardKeep()[i]) {
                    assertEquals(0f, dense.forward().host()[i]);
                }
                if (!dense.backwardKeep()[i]) {
                    assertEquals(0f, dense.backward().host()[i]);
                }
                if (pruned.backward().host()[i] != 0f) {
                    assertTrue(pruned.forwardKeep()[i], "a forward-pruned backward weight is a forward-kept one");
                }
            }
        }
    }

    private static void assertSameAsGolden(float[] w, int rows, int cols, NmPattern p, NmAxis axis, boolean[] keep) {
        float[][] m = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // distinct nonzero marks so the golden model's kept positions can be read back
                m[r][c] = w[r * cols + c];
            }
        }
        var comp = NmCompressor.compress(m, p, axis);
        boolean[] golden = new boolean[rows * cols];
        int lines = axis == NmAxis.INPUT_CHANNELS ? rows : cols;
        int gpl = comp.groupsPerLine();
        for (int line = 0; line < lines; line++) {
            for (int g = 0; g < gpl; g++) {
                for (int j = 0; j < p.n(); j++) {
                    int pos = g * p.m() + comp.indices()[(line * gpl + g) * p.n() + j];
                    golden[axis == NmAxis.INPUT_CHANNELS ? line * cols + pos : pos * cols + line] = true;
                }
            }
        }
        for (int i = 0; i < keep.length; i++) {
            assertEquals(golden[i], keep[i], "entry " + i + " (" + w[i] + ")");
        }
    }

    /** Values from a small set, so ties (and signed zeros) are common. */
    private static float[] weights(int n, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[] pool = {0f, -0f, 0.5f, -0.5f, 1f, -1f, 0.25f, 2f, -2f, 3e-3f};
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = rng.nextInt(3) == 0 ? pool[rng.nextInt(pool.length)] : (float) rng.nextGaussian();
        }
        return w;
    }
}
