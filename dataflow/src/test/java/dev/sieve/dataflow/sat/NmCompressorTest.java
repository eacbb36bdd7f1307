package dev.sieve.dataflow.sat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NmCompressorTest {

    private static final int[][] PATTERNS = {{1, 4}, {2, 4}, {2, 8}, {1, 8}, {4, 8}, {1, 2}};

    /** Independent reference: sort each group's positions by |w| descending, then index ascending; keep N. */
    private static float[][] referenceMask(float[][] w, int n, int m, NmAxis axis) {
        int rows = w.length;
        int cols = w[0].length;
        float[][] out = new float[rows][cols];
        int lines = axis == NmAxis.INPUT_CHANNELS ? rows : cols;
        int len = axis == NmAxis.INPUT_CHANNELS ? cols : rows;
        for (int line = 0; line < lines; line++) {
            for (int start = 0; start < len; start += m) {
                List<Integer> pos = new ArrayList<>();
                for (int i = start; i < Math.min(len, start + m); i++) {
                    pos.add(i);
                }
                final int l = line;
                pos.sort(Comparator.<Integer>comparingDouble(i -> -Math.abs(at(w, axis, l, i))).thenComparing(i -> i));
                for (int j = 0; j < Math.min(n, pos.size()); j++) {
                    int i = pos.get(j);
                    if (axis == NmAxis.INPUT_CHANNELS) {
                        out[line][i] = w[line][i];
                    } else {
                        out[i][line] = w[i][line];
                    }
                }
            }
        }
        return out;
    }

    private static float at(float[][] w, NmAxis axis, int line, int i) {
        return axis == NmAxis.INPUT_CHANNELS ? w[line][i] : w[i][line];
    }

    private static float[][] random(long seed, int rows, int cols, boolean ties) {
        Random r = new Random(seed);
        float[][] w = new float[rows][cols];
        for (float[] row : w) {
            for (int j = 0; j < cols; j++) {
                row[j] = ties ? (r.nextInt(5) - 2) : (float) r.nextGaussian() + (r.nextBoolean() ? 1e-3f : -1e-3f);
            }
        }
        return w;
    }

    @Property(tries = 200)
    void roundTripEqualsTheMaskedMatrix(@ForAll @IntRange(min = 1, max = 20) int rows,
                                        @ForAll @IntRange(min = 1, max = 40) int cols,
                                        @ForAll @IntRange(min = 0, max = 5) int pattern,
                                        @ForAll boolean backward, @ForAll boolean ties, @ForAll long seed) {
        int n = PATTERNS[pattern][0];
        int m = PATTERNS[pattern][1];
        NmAxis axis = backward ? NmAxis.OUTPUT_CHANNELS : NmAxis.INPUT_CHANNELS;
        float[][] w = random(seed, rows, cols, ties);
        NmCompressed c = NmCompressor.compress(w, new NmPattern(n, m), axis);
        float[][] back = NmCompressor.decompress(c);
        float[][] expected = referenceMask(w, n, m, axis);
        for (int i = 0; i < rows; i++) {
            assertArrayEquals(expected[i], back[i], "row " + i);
        }
    }

    @Property(tries = 100)
    void keepsExactlyNNonzerosInEveryFullGroup(@ForAll @IntRange(min = 0, max = 4) int pattern, @ForAll long seed,
                                               @ForAll boolean backward) {
        int n = PATTERNS[pattern][0];
        int m = PATTERNS[pattern][1];
        NmAxis axis = backward ? NmAxis.OUTPUT_CHANNELS : NmAxis.INPUT_CHANNELS;
        float[][] w = random(seed, 16, 16, false); // no zeros: every kept entry is nonzero
        float[][] masked = NmCompressor.mask(w, new NmPattern(n, m), axis);
        for (int line = 0; line < 16; line++) {
            for (int g = 0; g < 16; g += m) {
                int nz = 0;
                for (int i = g; i < g + m; i++) {
                    nz += at(masked, axis, line, i) != 0 ? 1 : 0;
                }
                assertEquals(n, nz, "line " + line + " group " + g / m);
            }
        }
    }

    @Test
    void tiesGoToTheLowerIndexAndIndicesAreAscending() {
        float[][] w = {{3, -3, 1, 3, 0, 0, 0, 0}};
        NmCompressed c = NmCompressor.compress(w, new NmPattern(2, 4), NmAxis.INPUT_CHANNELS);
        assertArrayEquals(new float[] {3, -3, 0, 0}, c.values());
        assertArrayEquals(new byte[] {0, 1, 0, 1}, c.indices());
    }

    @Test
    void backwardGroupsRunDownTheOutputChannels() {
        float[][] w = {{1, 9}, {5, 2}, {4, 8}, {2, 7}}; // F = 4 filters, K = 2
        float[][] back = NmCompressor.mask(w, new NmPattern(1, 4), NmAxis.OUTPUT_CHANNELS);
        assertArrayEquals(new float[] {0, 9}, back[0]);
        assertArrayEquals(new float[] {5, 0}, back[1]);
        assertArrayEquals(new float[] {0, 0}, back[2]);
    }

    @Test
    void shortLastGroupIsPaddedPastItsEnd() {
        float[][] w = {{1, 2, 3, 4, 5, 6}}; // 2:4 over 6 columns: second group has 2 positions
        NmCompressed c = NmCompressor.compress(w, new NmPattern(2, 4), NmAxis.INPUT_CHANNELS);
        assertArrayEquals(new float[] {3, 4, 5, 6}, c.values());
        assertArrayEquals(new float[] {0, 0, 3, 4, 5, 6}, NmCompressor.decompress(c)[0]);
        float[][] w1 = {{7}};
        NmCompressed c1 = NmCompressor.compress(w1, new NmPattern(2, 4), NmAxis.INPUT_CHANNELS);
        assertArrayEquals(new float[] {7, 0}, c1.values());
        assertArrayEquals(new byte[] {0, 1}, c1.indices());
        assertArrayEquals(new float[] {7}, NmCompressor.decompress(c1)[0]);
    }

    @Test
    void compressedSizeIsValuesPlusPackedIndexBits() {
        // 2:8 on 64 x 64: 512 groups x 2 kept = 1024 values (1 B) + 1024 x 3 bits = 384 B
        assertEquals(1024 + 384, NmCompressed.bytes(64, 64, NmPattern.parse("2:8"), NmAxis.INPUT_CHANNELS, 1));
        assertEquals(64 * 64 * 2, NmCompressed.bytes(64, 64, NmPattern.DENSE, NmAxis.INPUT_CHANNELS, 2));
    }

    @Test
    void pregenerationBuildsBothDirectionsAndCanChainTheMasks() {
        float[][] w = random(7, 16, 32, false);
        NmPattern p = NmPattern.parse("2:4");
        Pregeneration.Weights dense = Pregeneration.generate(w, p, BackwardMaskSource.DENSE);
        Pregeneration.Weights chained = Pregeneration.generate(w, p, BackwardMaskSource.FORWARD_PRUNED);
        assertEquals(NmAxis.INPUT_CHANNELS, dense.forward().axis());
        assertEquals(NmAxis.OUTPUT_CHANNELS, dense.backward().axis());
        float[][] fwd = NmCompressor.decompress(chained.forward());
        float[][] bwd = NmCompressor.decompress(chained.backward());
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 32; j++) {
                assertTrue(bwd[i][j] == 0 || bwd[i][j] == fwd[i][j], "chained backward keeps only forward weights");
            }
        }
    }
}
