package dev.sieve.dataflow.sat;

import dev.sieve.arch.NmPattern;

/**
 * Magnitude N:M pruning and compression on real arrays: in each group of M the N entries with the
 * largest {@code |w|} are kept; ties go to the lower index; NaN counts as the largest magnitude
 * ({@link Float#compare} order on absolute values). This is the golden model of the pre-generation
 * unit: the RTL's top-N selector must make the same choices.
 */
public final class NmCompressor {

    private NmCompressor() {
    }

    /** Compresses {@code w} (F rows x K columns) along {@code axis}. */
    public static NmCompressed compress(float[][] w, NmPattern p, NmAxis axis) {
        int rows = w.length;
        int cols = rows == 0 ? 0 : w[0].length;
        for (float[] row : w) {
            if (row.length != cols) {
                throw new IllegalArgumentException("weight matrix is ragged: rows of " + cols + " and " + row.length);
            }
        }
        int n = p.n();
        int m = p.m();
        boolean alongRow = axis == NmAxis.INPUT_CHANNELS;
        int lines = alongRow ? rows : cols;
        int lineLen = alongRow ? cols : rows;
        int gpl = (int) NmCompressed.ceilDiv(lineLen, m);
        float[] values = new float[lines * gpl * n];
        byte[] indices = new byte[values.length];
        float[] group = new float[m];
        boolean[] taken = new boolean[m];
        for (int line = 0; line < lines; line++) {
            for (int g = 0; g < gpl; g++) {
                int start = g * m;
                int len = Math.min(m, lineLen - start);
                for (int i = 0; i < len; i++) {
                    group[i] = alongRow ? w[line][start + i] : w[start + i][line];
                }
                java.util.Arrays.fill(taken, false);
                int chosen = 0;
                for (int j = 0; j < Math.min(n, len); j++) {
                    int best = -1;
                    for (int i = 0; i < len; i++) {
                        if (!taken[i] && (best < 0 || Float.compare(Math.abs(group[i]), Math.abs(group[best])) > 0)) {
                            best = i;
                        }
                    }
                    taken[best] = true;
                    chosen++;
                }
                int base = (line * gpl + g) * n;
                int slot = 0;
                for (int i = 0; i < len; i++) {
                    if (taken[i]) {
                        values[base + slot] = group[i];
                        indices[base + slot] = (byte) i;
                        slot++;
                    }
                }
                for (int pad = len; slot < n; pad++) {
                    values[base + slot] = 0f;
                    indices[base + slot] = (byte) pad;
                    slot++;
                }
                assert chosen <= n;
            }
        }
        return new NmCompressed(rows, cols, p, axis, values, indices);
    }

    /** Expands {@code c} back to a dense {@code rows x cols} matrix with zeros where weights were pruned. */
    public static float[][] decompress(NmCompressed c) {
        float[][] out = new float[c.rows()][c.cols()];
        int n = c.pattern().n();
        int m = c.pattern().m();
        boolean alongRow = c.axis() == NmAxis.INPUT_CHANNELS;
        int lines = alongRow ? c.rows() : c.cols();
        int lineLen = alongRow ? c.cols() : c.rows();
        int gpl = c.groupsPerLine();
        for (int line = 0; line < lines; line++) {
            for (int g = 0; g < gpl; g++) {
                int base = (line * gpl + g) * n;
                for (int j = 0; j < n; j++) {
                    int pos = g * m + c.indices()[base + j];
                    if (pos >= lineLen) {
                        continue;
                    }
                    if (alongRow) {
                        out[line][pos] = c.values()[base + j];
                    } else {
                        out[pos][line] = c.values()[base + j];
                    }
                }
            }
        }
        return out;
    }

    /** {@code w} with every pruned entry set to zero (what the array multiplies by). */
    public static float[][] mask(float[][] w, NmPattern p, NmAxis axis) {
        return decompress(compress(w, p, axis));
    }
}
