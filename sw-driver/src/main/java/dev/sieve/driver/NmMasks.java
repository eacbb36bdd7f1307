package dev.sieve.driver;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.NmAxis;

/**
 * Magnitude N:M masks on a flat row-major {@code rows x cols} matrix, with the rule of the
 * pre-generation unit and of {@link dev.sieve.dataflow.sat.NmCompressor}: in each group of M
 * consecutive entries along the axis, keep the N largest {@code |w|} ({@link Float#compare} order, so
 * NaN ranks highest), ties to the lower index; a short last group keeps {@code min(N, length)}.
 */
public final class NmMasks {
    private NmMasks() {
    }

    /** Writes the keep mask of {@code w} into {@code keep} (same layout as {@code w}). */
    public static void keep(float[] w, int rows, int cols, NmPattern p, NmAxis axis, boolean[] keep) {
        if (p.isDense()) {
            java.util.Arrays.fill(keep, 0, rows * cols, true);
            return;
        }
        boolean alongRow = axis == NmAxis.INPUT_CHANNELS;
        int lines = alongRow ? rows : cols;
        int lineLen = alongRow ? cols : rows;
        int step = alongRow ? 1 : cols;
        int m = p.m();
        int n = p.n();
        int[] mag = new int[m];
        for (int line = 0; line < lines; line++) {
            int lineBase = alongRow ? line * cols : line;
            for (int start = 0; start < lineLen; start += m) {
                int len = Math.min(m, lineLen - start);
                int base = lineBase + start * step;
                for (int i = 0; i < len; i++) {
                    mag[i] = order(w[base + i * step]);
                }
                for (int i = 0; i < len; i++) {
                    int beaten = 0;
                    for (int j = 0; j < len; j++) {
                        if (mag[j] > mag[i] || (mag[j] == mag[i] && j < i)) {
                            beaten++;
                        }
                    }
                    keep[base + i * step] = beaten < n;
                }
            }
        }
    }

    /** An int whose order is {@link Float#compare} order of {@code |x|} (every NaN above infinity, NaNs equal). */
    static int order(float x) {
        int mag = Float.floatToRawIntBits(x) & 0x7FFF_FFFF;
        return mag > 0x7F80_0000 ? 0x7FC0_0000 : mag;
    }

    /** {@code w} with every entry not kept set to zero, into {@code out}. */
    public static void apply(float[] w, boolean[] keep, float[] out, int len) {
        for (int i = 0; i < len; i++) {
            out[i] = keep[i] ? w[i] : 0f;
        }
    }
}
