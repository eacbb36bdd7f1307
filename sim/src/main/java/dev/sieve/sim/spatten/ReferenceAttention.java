package dev.sieve.sim.spatten;

/**
 * Plain softmax(Q·Kᵀ/√D)·V in the accelerator's fixed point, written independently of
 * {@link FixedPointAttention} from the number format alone (see there), with no pruning and no
 * quantization: the value the functional path must reproduce bit for bit when pruning is off.
 */
public final class ReferenceAttention {
    private ReferenceAttention() {
    }

    /** {@code out[h][i][d]} for {@code q/k/v[h][token][d]}. */
    public static int[][][] attention(int[][][] q, int[][][] k, int[][][] v) {
        int heads = q.length, n = q[0].length, d = q[0][0].length;
        int logitShift = 2 * 8 - 6 + (int) Math.floor(Math.log(d) / Math.log(2) / 2 + 1e-9);
        int[][][] out = new int[heads][n][d];
        for (int h = 0; h < heads; h++) {
            // all scores of this head at once
            long[][] logits = new long[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    long dot = 0;
                    for (int c = d - 1; c >= 0; c--) {
                        dot += (long) q[h][i][c] * k[h][j][c];
                    }
                    logits[i][j] = Math.floorDiv(dot, 1L << logitShift);
                }
            }
            for (int i = 0; i < n; i++) {
                long best = logits[i][0];
                for (long x : logits[i]) {
                    best = Math.max(best, x);
                }
                long[] weight = new long[n];
                long total = 0;
                for (int j = 0; j < n; j++) {
                    long gap = Math.min(1023, best - logits[i][j]);
                    weight[j] = StrictMath.round(4095 * StrictMath.exp(-gap / 64.0));
                    total += weight[j];
                }
                for (int c = 0; c < d; c++) {
                    long acc = 0;
                    for (int j = 0; j < n; j++) {
                        long p = Math.min(4095, Math.floorDiv(weight[j] * 4096, total));
                        acc += p * v[h][j][c];
                    }
                    long o = Math.floorDiv(acc, 4096);
                    out[h][i][c] = (int) Math.max(-2048, Math.min(2047, o));
                }
            }
        }
        return out;
    }
}
