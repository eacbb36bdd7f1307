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
 * a zero output), with Java {@code float} operations. Two code paths compute that same order:
 * <ul>
 *   <li>{@link Path#VECTOR} ({@link VectorGemm}) when the JDK's {@code jdk.incubator.vector} module is
 *   loaded ({@code java --add-modules jdk.incubator.vector}, as {@code ./simulate} runs): a register
 *   blocked micro-kernel with one fused multiply-add per product;</li>
 *   <li>{@link Path#SCALAR} otherwise: blocked loops (4 rows of A at a time, 4 reduction positions per
 *   pass over a chunk of {@code NB} columns of B, partial sums in L1), written so the JIT vectorizes
 *   them across columns, with separate multiplies and adds.</li>
 * </ul>
 * Work is split over threads so that every output is computed by one thread in a fixed order: results
 * do not depend on the thread count or the path.
 *
 * <p>It does not flush subnormals: callers ({@link SatDevice}) use it only where no product or partial
 * sum can fall in the subnormal range and no product can overflow, where Java's {@code float}
 * arithmetic (with or without fusing the multiply) equals Sieve's datapath.
 */
public final class GemmKernel implements AutoCloseable {
    static final int NB = 512;
    static final int RB = 16;

    /** The two code paths; both give the same bits. */
    public enum Path {
        /** {@link VectorGemm}: needs the {@code jdk.incubator.vector} module. */
        VECTOR,
        /** Plain Java loops the JIT auto-vectorizes. */
        SCALAR
    }

    private final int threads;
    private final Path path;
    private final ExecutorService pool;

    /** A kernel on {@code threads} threads using the fastest path this JVM offers. */
    public GemmKernel(int threads) {
        this(threads, vectorAvailable() ? Path.VECTOR : Path.SCALAR);
    }

    public GemmKernel(int threads, Path path) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads = " + threads + " is out of range; allowed 1 .. 256");
        }
        if (path == Path.VECTOR && !vectorAvailable()) {
            throw new IllegalArgumentException("the vector path needs the JDK module jdk.incubator.vector; "
                    + "run java with --add-modules jdk.incubator.vector");
        }
        this.threads = threads;
        this.path = path;
        // the calling thread is one of the workers: it is already on a core, and only threads - 1 are woken
        this.pool = threads == 1 ? null : HostThreads.pool(threads - 1, "sieve-gemm");
    }

    /** True when this JVM was started with the {@code jdk.incubator.vector} module. */
    public static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    public int threads() {
        return threads;
    }

    public Path path() {
        return path;
    }

    /**
     * One thread's FP32 fused multiply-add throughput in GFLOP/s per second of its CPU time, measured for
     * about {@code millis} ms with vector FMAs; 0 when the vector path is not available.
     */
    public static double measuredFmaGflops(long millis) {
        return vectorAvailable() ? VectorGemm.fmaThroughput(millis) : 0;
    }

    /**
     * Dependent vector FMAs per nanosecond of one thread's CPU time (clock / FMA latency), measured for
     * about {@code millis} ms; 0 when the vector path is not available.
     */
    public static double measuredDependentFmaRate(long millis) {
        return vectorAvailable() ? VectorGemm.dependentFmaRate(millis) : 0;
    }

    /** FP32 lanes of the vector path (0 when it is not available). */
    public static int vectorLanes() {
        return vectorAvailable() ? VectorGemm.lanes() : 0;
    }

    /** A one-line description of the path, for reports. */
    public String describe() {
        return path == Path.VECTOR ? "vector (jdk.incubator.vector, " + VectorGemm.lanes() + " FP32 lanes, fused multiply-add)"
                : "scalar (auto-vectorized loops, separate multiply and add; start java with --add-modules "
                + "jdk.incubator.vector for the vector path)";
    }

    /**
     * {@code c = a * b}: a is read as {@code a[aOff + i*ars + kk*acs]}, b is {@code k x n} row-major, c is
     * {@code m x n} row-major (overwritten).
     */
    public void run(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, float[] c, int kTile) {
        if (kTile < 1) {
            throw new IllegalArgumentException("kTile = " + kTile + " is not allowed; allowed >= 1");
        }
        Runnable worker;
        int tasks;
        if (path == Path.VECTOR) {
            int rowChunk = VectorGemm.rowChunk(m, n, threads);
            int vt = VectorGemm.tasks(m, n, rowChunk);
            tasks = vt;
            AtomicInteger next = new AtomicInteger();
            worker = () -> {
                VectorGemm.Scratch scratch = VectorGemm.scratch();
                for (int t; (t = next.getAndIncrement()) < vt; ) {
                    VectorGemm.task(t, m, n, k, a, aOff, ars, acs, b, c, kTile, rowChunk, scratch);
                }
            };
        } else {
            int rowBlocks = (m + RB - 1) / RB;
            int colChunks = (n + NB - 1) / NB;
            int st = rowBlocks * colChunks;
            tasks = st;
            AtomicInteger next = new AtomicInteger();
            worker = () -> {
                float[][] p = new float[4][Math.min(NB, n)];
                for (int t; (t = next.getAndIncrement()) < st; ) {
                    int rb = t / colChunks;
                    int cc = t % colChunks;
                    int j0 = cc * NB;
                    int j1 = Math.min(n, j0 + NB);
                    for (int i = rb * RB, ie = Math.min(m, i + RB); i < ie; i += 4) {
                        block(i, Math.min(4, ie - i), j0, j1, n, k, a, aOff, ars, acs, b, c, kTile, p);
                    }
                }
            };
        }
        if (pool == null || (long) m * n * k < 200_000 || tasks == 1) {
            worker.run();
            return;
        }
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 1; w < threads; w++) {
            fs.add(pool.submit(worker));
        }
        worker.run();
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
