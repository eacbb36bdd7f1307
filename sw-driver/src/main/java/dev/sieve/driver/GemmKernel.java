package dev.sieve.driver;

import dev.sieve.concurrent.HostThreads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fast host kernel behind the SAT backend: {@code C[m][n] = sum_k A[m][k] * B[k][n]} in the tile
 * order of {@link ExactGemm} (per output: tile sums of left-to-right products, added tile by tile onto
 * a zero output), with Java {@code float} operations. It is blocked (4 rows of A at a time, 4
 * reduction positions per pass over a chunk of {@code NB} columns of B, partial sums in L1), the
 * inner loops are written so the JIT vectorizes them across columns, and the work is split over
 * threads by (row block, column chunk). Every output is computed by one thread in a fixed order, so
 * results do not depend on the thread count.
 *
 * <p>It does not flush subnormals: callers ({@link SatDevice}) use it only where no product or partial
 * sum can fall in the subnormal range, where Java's {@code float} arithmetic equals Sieve's datapath.
 */
public final class GemmKernel implements AutoCloseable {
    static final int NB = 512;
    static final int RB = 16;

    private final int threads;
    private final ExecutorService pool;

    public GemmKernel(int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads = " + threads + " is out of range; allowed 1 .. 256");
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : HostThreads.pool(threads, "sieve-gemm");
    }

    public int threads() {
        return threads;
    }

    /**
     * {@code c = a * b}: a is read as {@code a[aOff + i*ars + kk*acs]}, b is {@code k x n} row-major, c is
     * {@code m x n} row-major (overwritten).
     */
    public void run(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, float[] c, int kTile) {
        if (kTile < 1) {
            throw new IllegalArgumentException("kTile = " + kTile + " is not allowed; allowed >= 1");
        }
        int rowBlocks = (m + RB - 1) / RB;
        int colChunks = (n + NB - 1) / NB;
        int tasks = rowBlocks * colChunks;
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            float[][] p = new float[4][Math.min(NB, n)];
            for (int t; (t = next.getAndIncrement()) < tasks; ) {
                int rb = t / colChunks;
                int cc = t % colChunks;
                int j0 = cc * NB;
                int j1 = Math.min(n, j0 + NB);
                for (int i = rb * RB, ie = Math.min(m, i + RB); i < ie; i += 4) {
                    block(i, Math.min(4, ie - i), j0, j1, n, k, a, aOff, ars, acs, b, c, kTile, p);
                }
            }
        };
        if (pool == null || (long) m * n * k < 200_000 || tasks == 1) {
            worker.run();
            return;
        }
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            fs.add(pool.submit(worker));
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("GEMM interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("GEMM worker failed", e.getCause());
            }
        }
    }

    /** Rows i .. i+r-1 (r <= 4), columns j0 .. j1-1. */
    private static void block(int i, int r, int j0, int j1, int n, int k, float[] a, int aOff, int ars, int acs,
                              float[] b, float[] c, int kTile, float[][] p) {
        int nb = j1 - j0;
        float[] p0 = p[0];
        float[] p1 = p[1];
        float[] p2 = p[2];
        float[] p3 = p[3];
        for (int q = 0; q < r; q++) {
            Arrays.fill(c, (i + q) * n + j0, (i + q) * n + j1, 0f);
        }
        int r0 = aOff + i * ars;
        int r1 = r > 1 ? r0 + ars : -1;
        int r2 = r > 2 ? r0 + 2 * ars : -1;
        int r3 = r > 3 ? r0 + 3 * ars : -1;
        for (int t = 0; t < k; t += kTile) {
            Arrays.fill(p0, 0, nb, 0f);
            Arrays.fill(p1, 0, nb, 0f);
            Arrays.fill(p2, 0, nb, 0f);
            Arrays.fill(p3, 0, nb, 0f);
            int te = Math.min(k, t + kTile);
            int kk = t;
            for (; kk + 3 < te; kk += 4) {
                int o = kk * acs;
                float a00 = a[r0 + o];
                float a01 = a[r0 + o + acs];
                float a02 = a[r0 + o + 2 * acs];
                float a03 = a[r0 + o + 3 * acs];
                float a10 = r1 < 0 ? 0f : a[r1 + o];
                float a11 = r1 < 0 ? 0f : a[r1 + o + acs];
                float a12 = r1 < 0 ? 0f : a[r1 + o + 2 * acs];
                float a13 = r1 < 0 ? 0f : a[r1 + o + 3 * acs];
                float a20 = r2 < 0 ? 0f : a[r2 + o];
                float a21 = r2 < 0 ? 0f : a[r2 + o + acs];
                float a22 = r2 < 0 ? 0f : a[r2 + o + 2 * acs];
                float a23 = r2 < 0 ? 0f : a[r2 + o + 3 * acs];
                float a30 = r3 < 0 ? 0f : a[r3 + o];
                float a31 = r3 < 0 ? 0f : a[r3 + o + acs];
                float a32 = r3 < 0 ? 0f : a[r3 + o + 2 * acs];
                float a33 = r3 < 0 ? 0f : a[r3 + o + 3 * acs];
                int b0 = kk * n + j0;
                int b1 = b0 + n;
                int b2 = b1 + n;
                int b3 = b2 + n;
                for (int j = 0; j < nb; j++) {
                    float x0 = b[b0 + j];
                    float x1 = b[b1 + j];
                    float x2 = b[b2 + j];
                    float x3 = b[b3 + j];
                    p0[j] = (((p0[j] + a00 * x0) + a01 * x1) + a02 * x2) + a03 * x3;
                    p1[j] = (((p1[j] + a10 * x0) + a11 * x1) + a12 * x2) + a13 * x3;
                    p2[j] = (((p2[j] + a20 * x0) + a21 * x1) + a22 * x2) + a23 * x3;
                    p3[j] = (((p3[j] + a30 * x0) + a31 * x1) + a32 * x2) + a33 * x3;
                }
            }
            for (; kk < te; kk++) {
                int o = kk * acs;
                float a0 = a[r0 + o];
                float a1 = r1 < 0 ? 0f : a[r1 + o];
                float a2 = r2 < 0 ? 0f : a[r2 + o];
                float a3 = r3 < 0 ? 0f : a[r3 + o];
                int b0 = kk * n + j0;
                for (int j = 0; j < nb; j++) {
                    float x = b[b0 + j];
                    p0[j] += a0 * x;
                    p1[j] += a1 * x;
                    p2[j] += a2 * x;
                    p3[j] += a3 * x;
                }
            }
            add(c, i * n + j0, p0, nb);
            if (r > 1) {
                add(c, (i + 1) * n + j0, p1, nb);
            }
            if (r > 2) {
                add(c, (i + 2) * n + j0, p2, nb);
            }
            if (r > 3) {
                add(c, (i + 3) * n + j0, p3, nb);
            }
        }
    }

    private static void add(float[] c, int off, float[] p, int nb) {
        for (int j = 0; j < nb; j++) {
            c[off + j] += p[j];
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
