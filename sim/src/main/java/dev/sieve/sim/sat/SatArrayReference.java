package dev.sieve.sim.sat;

import dev.sieve.arch.NmPattern;
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
 * moving right) and a partial-sum register (moving down); per segment and column an output register.
 * In cycle t, PE (r, 0) takes the vector the feeder offers (vector {@code t - r}), PE (r, c > 0) the
 * activation register of (r, c-1); the top row of a segment adds to 0, other rows to the partial-sum
 * register above; both registers load at the end of the cycle; the output register loads the
 * partial-sum register of the segment's last row.
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
        int rs = rows / segments;
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
        int[][][] actReg = new int[rows][cols][];
        int[][] actTag = new int[rows][cols];
        int[][] psum = new int[rows][cols];
        int[][] psumTag = new int[rows][cols];
        for (int[] row : actTag) {
            Arrays.fill(row, -1);
        }
        for (int[] row : psumTag) {
            Arrays.fill(row, -1);
        }
        int[][][] out = new int[segments][cols][vectors];
        long[][][] when = new long[segments][cols][vectors];
        long remaining = (long) segments * cols * vectors;
        long last = -1;
        for (long t = 0; remaining > 0; t++) {
            // output registers load the bottom rows' partial sums registered at the end of t-1
            for (int s = 0; s < segments; s++) {
                int bottom = s * rs + rs - 1;
                for (int c = 0; c < cols; c++) {
                    int p = psumTag[bottom][c];
                    if (p >= 0) {
                        out[s][c][p] = psum[bottom][c];
                        when[s][c][p] = t;
                        remaining--;
                        last = t;
                    }
                }
            }
            int[][][] nextAct = new int[rows][cols][];
            int[][] nextActTag = new int[rows][cols];
            int[][] nextPsum = new int[rows][cols];
            int[][] nextPsumTag = new int[rows][cols];
            for (int r = 0; r < rows; r++) {
                int s = r / rs;
                int rr = r % rs;
                for (int c = 0; c < cols; c++) {
                    int[] a;
                    int tag;
                    if (c == 0) {
                        long p = t - rr;
                        tag = p >= 0 && p < vectors ? (int) p : -1;
                        a = tag < 0 ? null : feed(acts[s], rr * kpp, kpp, tag);
                    } else {
                        a = actReg[r][c - 1];
                        tag = actTag[r][c - 1];
                    }
                    nextAct[r][c] = a;
                    nextActTag[r][c] = tag;
                    if (tag < 0) {
                        nextPsumTag[r][c] = -1;
                        continue;
                    }
                    int above = rr == 0 ? 0 : psum[r - 1][c];
                    if (rr > 0 && psumTag[r - 1][c] != tag) {
                        throw new IllegalStateException("skew broken at PE(" + r + "," + c + ") cycle " + t);
                    }
                    int sum = above;
                    for (int l = 0; l < multipliersPerPe; l++) {
                        sum += wv[r][c][l] * a[wk[r][c][l]];
                    }
                    nextPsum[r][c] = sum;
                    nextPsumTag[r][c] = tag;
                }
            }
            actReg = nextAct;
            actTag = nextActTag;
            psum = nextPsum;
            psumTag = nextPsumTag;
        }
        return new Step(out, when, last + 1);
    }

    private static int[] feed(int[][] acts, int k0, int kpp, int p) {
        int[] v = new int[kpp];
        for (int i = 0; i < kpp; i++) {
            v[i] = acts[k0 + i][p];
        }
        return v;
    }
}
