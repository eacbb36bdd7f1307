package dev.sieve.sim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.dataflow.sat.NmAxis;
import dev.sieve.dataflow.sat.NmCompressed;
import dev.sieve.dataflow.sat.NmCompressor;
import java.util.Arrays;

/**
 * A register-level reference of one array step, stepped cycle by cycle and PE by PE: the golden
 * model that {@link TileTiming}'s closed form is checked against, and the starting point of the
 * RTL's cycle model. Slow by design (tests and co-simulation only; {@link SatModel} never uses it).
 *
 * <p>Arithmetic: INT8 x INT8 products accumulated in INT32 that wraps modulo 2^32 (two's complement).
 * N:M PEs hold L (value, index) pairs, L/N groups of N, built by {@link NmCompressor} from the
 * tile's weights; pair j of group g multiplies activation {@code g*M + index} of the PE's
 * {@code L*M/N} activations (the M-to-1 multiplexer). Dense PEs multiply L consecutive activations.
 *
 * <p>Registers, per PE (r, c) with r counted inside its segment: an activation register (the vector
 * moving right), a product pipeline of {@code SatConfig.PRODUCT_STAGES} registers and a partial-sum
 * pipeline of D registers ({@code psumLatency}); per segment and column an output register. In
 * cycle t, PE (r, 0) takes the vector the feeder offers (vector {@code t - r*D}), PE (r, c > 0) the
 * activation register of (r, c-1); the vector's products leave the product pipeline X cycles later
 * and are added, in that cycle, to 0 (a segment's top row) or to the partial sum leaving the PE above;
 * the sum leaves the PE D cycles later; the output register loads what leaves the segment's last
 * row. Every register is modelled with the vector it carries, so a skew that does not line up
 * throws.
 */
public final class SatArrayReference {

    private SatArrayReference() {
    }

    /**
     * What a step produced: {@code outputs[s][c][p]} (segment, column, vector), the cycle at whose end
     * each was captured, and the step's length (last capture + 1).
     */
    public record Step(int[][][] outputs, long[][][] captureCycle, long cycles) {
    }

    /**
     * Runs one step. {@code weights[s][c][k]} is segment s's stationary tile for column c over its
     * {@code Rs * kPerPe} reduction positions (dense values; N:M tiles are pruned and compressed here);
     * {@code acts[s][k][p]} are the vectors streamed into segment s. Values must be INT8.
     */
    public static Step run(int rows, int cols, int multipliersPerPe, NmPattern pattern, int segments,
                           int[][][] weights, int[][][] acts) {
        return run(rows, cols, multipliersPerPe, pattern, segments, 1, weights, acts);
    }

    /** {@link #run} for PEs that hold a partial sum {@code psumLatency} cycles. */
    public static Step run(int rows, int cols, int multipliersPerPe, NmPattern pattern, int segments, int psumLatency,
                           int[][][] weights, int[][][] acts) {
        int rs = rows / segments;
        int d = psumLatency;
        int x = SatConfig.PRODUCT_STAGES;
        int kpp = TileTiming.kPerPe(multipliersPerPe, pattern.n(), pattern.m(), pattern.isDense());
        int vectors = acts[0][0].length;
        // PE weights: value and activation offset per multiplier
        int[][][] wv = new int[rows][cols][multipliersPerPe];
        int[][][] wk = new int[rows][cols][multipliersPerPe];
        for (int s = 0; s < segments; s++) {
            for (int rr = 0; rr < rs; rr++) {
                for (int c = 0; c < cols; c++) {
                    int r = s * rs + rr;
                    int[] chunk = Arrays.copyOfRange(weights[s][c], rr * kpp, (rr + 1) * kpp);
                    if (pattern.isDense()) {
                        for (int l = 0; l < multipliersPerPe; l++) {
                            wv[r][c][l] = chunk[l];
                            wk[r][c][l] = l;
                        }
                    } else {
                        float[][] w = new float[1][kpp];
                        for (int i = 0; i < kpp; i++) {
                            w[0][i] = chunk[i];
                        }
                        NmCompressed cmp = NmCompressor.compress(w, pattern, NmAxis.INPUT_CHANNELS);
                        for (int j = 0; j < multipliersPerPe; j++) {
                            wv[r][c][j] = (int) cmp.values()[j];
                            wk[r][c][j] = (j / pattern.n()) * pattern.m() + cmp.indices()[j];
                        }
                    }
                }
            }
        }
        // registers as shift lines of (vector tag, value); index 0 is the newest stage
        int[][] actTag = new int[rows][cols];
        int[][][] actVal = new int[rows][cols][];
        int[][][] prodTag = new int[rows][cols][x]; // product pipeline: tag, and the sum of products
        int[][][] prodVal = new int[rows][cols][x];
        int[][][] psumTag = new int[rows][cols][d];
        int[][][] psumVal = new int[rows][cols][d];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(actTag[r], -1);
            for (int c = 0; c < cols; c++) {
                Arrays.fill(prodTag[r][c], -1);
                Arrays.fill(psumTag[r][c], -1);
            }
        }
        int[][][] out = new int[segments][cols][vectors];
        long[][][] when = new long[segments][cols][vectors];
        long remaining = (long) segments * cols * vectors;
        long last = -1;
        for (long t = 0; remaining > 0; t++) {
            // output registers load what leaves the bottom rows (their partial-sum pipelines' last stage)
            // during cycle t
            for (int s = 0; s < segments; s++) {
                int bottom = s * rs + rs - 1;
                for (int c = 0; c < cols; c++) {
                    int p = psumTag[bottom][c][d - 1];
                    if (p >= 0) {
                        out[s][c][p] = psumVal[bottom][c][d - 1];
                        when[s][c][p] = t; // captured at the end of the cycle in which it leaves
                        remaining--;
                        last = t;
                    }
                }
            }
            // values in flight during cycle t (register outputs), then every register loads at the end
            int[][] nextActTag = new int[rows][cols];
            int[][][] nextActVal = new int[rows][cols][];
            int[][] newSum = new int[rows][cols];
            int[][] newSumTag = new int[rows][cols];
            for (int r = 0; r < rows; r++) {
                int s = r / rs;
                int rr = r % rs;
                for (int c = 0; c < cols; c++) {
                    int tag;
                    int[] a;
                    if (c == 0) {
                        long p = t - (long) rr * d;
                        tag = p >= 0 && p < vectors ? (int) p : -1;
                        a = tag < 0 ? null : feed(acts[s], rr * kpp, kpp, tag);
                    } else {
                        tag = actTag[r][c - 1];
                        a = actVal[r][c - 1];
                    }
                    nextActTag[r][c] = tag;
                    nextActVal[r][c] = a;
                    // the products leaving the product pipeline meet the partial sum from above
                    int pTag = x == 0 ? tag : prodTag[r][c][x - 1];
                    int pVal = x == 0 ? products(wv[r][c], wk[r][c], a, tag) : prodVal[r][c][x - 1];
                    newSumTag[r][c] = pTag;
                    if (pTag >= 0) {
                        if (rr > 0 && psumTag[r - 1][c][d - 1] != pTag) {
                            throw new IllegalStateException("skew broken at PE(" + r + "," + c + ") cycle " + t);
                        }
                        newSum[r][c] = (rr == 0 ? 0 : psumVal[r - 1][c][d - 1]) + pVal;
                    }
                    // shift the product pipeline
                    if (x > 0) {
                        System.arraycopy(prodTag[r][c], 0, prodTag[r][c], 1, x - 1);
                        System.arraycopy(prodVal[r][c], 0, prodVal[r][c], 1, x - 1);
                        prodTag[r][c][0] = tag;
                        prodVal[r][c][0] = tag < 0 ? 0 : products(wv[r][c], wk[r][c], a, tag);
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    System.arraycopy(psumTag[r][c], 0, psumTag[r][c], 1, d - 1);
                    System.arraycopy(psumVal[r][c], 0, psumVal[r][c], 1, d - 1);
                    psumTag[r][c][0] = newSumTag[r][c];
                    psumVal[r][c][0] = newSum[r][c];
                }
            }
            actTag = nextActTag;
            actVal = nextActVal;
        }
        return new Step(out, when, last + 1);
    }

    /** The sum of PE (r, c)'s L products with vector {@code tag}'s activations (0 when no vector). */
    private static int products(int[] wv, int[] wk, int[] a, int tag) {
        if (tag < 0) {
            return 0;
        }
        int sum = 0;
        for (int l = 0; l < wv.length; l++) {
            sum += wv[l] * a[wk[l]];
        }
        return sum;
    }

    private static int[] feed(int[][] acts, int k0, int kpp, int p) {
        int[] v = new int[kpp];
        for (int i = 0; i < kpp; i++) {
            v[i] = acts[k0 + i][p];
        }
        return v;
    }
}
