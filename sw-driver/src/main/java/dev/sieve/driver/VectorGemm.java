package dev.sieve.driver;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked GEMM behind {@link GemmKernel} when the JDK's Vector API module
 * ({@code jdk.incubator.vector}) is loaded: {@code C[m][n] = sum_k A[m][k] * B[k][n]} in the tile order
 * of {@link ExactGemm}, with one fused multiply-add per product.
 *
 * <p>Order: for each output, a tile's products are added left to right onto a zero partial sum
 * ({@code p = fma(a, b, p)}), and the tile sums are added in tile order onto a zero output, exactly
 * as {@link ExactGemm} does. Only the loops around that order are rearranged: a micro-kernel keeps
 * {@value #MR} rows x {@value #NV} vectors of outputs in registers and walks one tile of the
 * reduction, so the vector lanes are different outputs (columns) and no sum is ever split or
 * reassociated. A BF16 x BF16 product has at most 16 significant bits, so it is exact in FP32 unless it
 * overflows or falls below 2^-126; there {@code fma(a, b, p)} is the same single rounding of
 * {@code p + a*b} as a multiply followed by an add. Callers ({@link SatDevice}) send only outputs
 * whose products can neither overflow nor be subnormal here; the others take {@link ExactGemm}.
 *
 * <p>Work is cut into tasks of (a panel of {@link #W} columns, a chunk of {@link #rowChunk} rows);
 * each output belongs to one task and its sum is computed whole there, so results do not depend on the
 * number of threads or the chunk.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Rows of outputs per micro-kernel call. */
    static final int MR = 6;
    /** Vectors of outputs per row in the micro-kernel. */
    static final int NV = 4;
    /** Columns per panel. */
    static final int W = NV * V;
    /** Most rows per task: the task's outputs (up to 480 x W floats, 120 KiB) stay in a core's L2. */
    static final int MAX_ROW_CHUNK = 80 * MR;

    private VectorGemm() {
    }

    /** Lanes of the vectors in use (16 with AVX-512, 8 with AVX2). */
    static int lanes() {
        return V;
    }

    /**
     * Longest reduction tile whose B panel is packed ({@value} x {@link #W} floats, 256 KiB with 16 lanes:
     * within a core's L2); longer tiles are read from B in place.
     */
    static final int PACK_MAX_K = 1024;

    /** Fewest rows of a task for packing: the copy is then read by at least 8 micro-kernel calls. */
    static final int PACK_MIN_ROWS = 8 * MR;

    /** A worker's scratch for {@link #task}: the edge partial sums and the packed B panel of one tile. */
    static final class Scratch {
        final float[] pb = new float[MR * W];
        float[] pk = new float[0];

        float[] pack(int rows) {
            if (pk.length < rows * W) {
                pk = new float[rows * W];
            }
            return pk;
        }
    }

    /** Scratch a worker needs for {@link #task}. */
    static Scratch scratch() {
        return new Scratch();
    }

    /**
     * Rows per task of an {@code m x n} output shared by {@code threads} threads: as many as allowed (up to
     * {@link #MAX_ROW_CHUNK}, a multiple of MR) while there are at least 8 tasks per thread. Each task
     * reads its panel of B once per reduction tile, so fewer, taller tasks read B from memory fewer
     * times (conv2's forward pass: once instead of three times); 8 tasks per thread keep both threads
     * busy until close to the end. The chunk does not change any output's sum.
     */
    static int rowChunk(int m, int n, int threads) {
        int blocks = (m + MR - 1) / MR;
        int chunks = Math.max(1, Math.min(blocks, (8 * threads + panels(n) - 1) / panels(n)));
        chunks = Math.max(chunks, (m + MAX_ROW_CHUNK - 1) / MAX_ROW_CHUNK);
        return MR * (blocks / chunks); // rounded down: at least that many chunks
    }

    /** Number of tasks of an {@code m x n} output cut into row chunks of {@code rowChunk}. */
    static int tasks(int m, int n, int rowChunk) {
        return panels(n) * rowChunks(m, rowChunk);
    }

    private static int panels(int n) {
        return (n + W - 1) / W;
    }

    private static int rowChunks(int m, int rowChunk) {
        return (m + rowChunk - 1) / rowChunk;
    }

    /**
     * Computes the outputs of task {@code task}; arguments as {@link GemmKernel#run}. For each reduction tile,
     * the panel's W columns of B over the tile are first copied into one contiguous block (rows W floats
     * apart), which all the task's row blocks then read: in B its rows are n floats apart, so with n a
     * multiple of a power of two (conv2: 12,544 = 2^8 x 49) a tile's rows fall into a few L1 sets and evict
     * each other, and each row is on another page. Copying moves values, so no sum changes.
     */
    static void task(int task, int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, float[] c,
                     int kTile, int rowChunk, Scratch scratch) {
        float[] pb = scratch.pb;
        int chunks = rowChunks(m, rowChunk);
        int j = (task / chunks) * W;
        int cols = Math.min(W, n - j);
        int i0 = (task % chunks) * rowChunk;
        int i1 = Math.min(m, i0 + rowChunk);
        for (int t = 0; t < k; t += kTile) {
            int te = Math.min(k, t + kTile);
            boolean first = t == 0;
            // where the full-width micro-kernels read B: the packed block, or B in place
            float[] bp = b;
            int bOff = t * n + j;
            int bStride = n;
            if (cols == W && te - t <= PACK_MAX_K && i1 - i0 >= PACK_MIN_ROWS) {
                bp = scratch.pack(te - t);
                packPanel(b, n, j, t, te, bp);
                bOff = 0;
                bStride = W;
            }
            for (int i = i0; i < i1; i += MR) {
                int rows = Math.min(MR, i1 - i);
                // rows past the end read row i again; their results are not stored
                int o0 = aOff + i * ars + t * acs;
                int o1 = rows > 1 ? o0 + ars : o0;
                int o2 = rows > 2 ? o0 + 2 * ars : o0;
                int o3 = rows > 3 ? o0 + 3 * ars : o0;
                int o4 = rows > 4 ? o0 + 4 * ars : o0;
                int o5 = rows > 5 ? o0 + 5 * ars : o0;
                if (cols == W && rows == MR) {
                    micro(a, o0, o1, o2, o3, o4, o5, acs, bp, bOff, bStride, te - t, c, i * n + j, n, first);
                    continue;
                }
                // edges (no masked vector operations: JDK 17 does not compile them to masked instructions)
                int full = cols / V * V;
                if (full == W) {
                    microToBuffer(a, o0, o1, o2, o3, o4, o5, acs, bp, bOff, bStride, te - t, pb);
                } else {
                    for (int x = 0; x < full; x += V) {
                        microOneVector(a, o0, o1, o2, o3, o4, o5, acs, b, t * n + j + x, n, te - t, pb, x);
                    }
                    scalarColumns(a, o0, o1, o2, o3, o4, o5, acs, b, n, j, full, cols, t, te, pb);
                }
                for (int q = 0; q < rows; q++) {
                    int co = (i + q) * n + j;
                    int po = q * W;
                    if (first) {
                        for (int x = 0; x < cols; x++) {
                            c[co + x] = 0f + pb[po + x];
                        }
                    } else {
                        for (int x = 0; x < cols; x++) {
                            c[co + x] += pb[po + x];
                        }
                    }
                }
            }
        }
    }

    /** Copies B[t..te)[j..j+W) to {@code p}, row r of the tile at {@code p[r * W]}. */
    private static void packPanel(float[] b, int n, int j, int t, int te, float[] p) {
        for (int kk = t, o = 0; kk < te; kk++, o += W) {
            int bo = kk * n + j;
            for (int x = 0; x < W; x += V) {
                FloatVector.fromArray(S, b, bo + x).intoArray(p, o + x);
            }
        }
    }

    /**
     * One tile of {@code len} reduction steps of MR rows x W columns, added onto C at {@code co} (row stride
     * n): step s reads A at {@code o_q + s * acs} and B at {@code bo + s * bs}.
     */
    private static void micro(float[] a, int o0, int o1, int o2, int o3, int o4, int o5, int acs, float[] b, int bo,
                              int bs, int len, float[] c, int co, int n, boolean first) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z;
        FloatVector c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z;
        FloatVector c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z;
        FloatVector c50 = z, c51 = z, c52 = z, c53 = z;
        for (int s = 0, ao = 0; s < len; s++, bo += bs, ao += acs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bo + 3 * V);
            FloatVector x = FloatVector.broadcast(S, a[o0 + ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[o1 + ao]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[o2 + ao]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[o3 + ao]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[o4 + ao]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, a[o5 + ao]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        // added onto C here, not in a helper: vectors passed to a method the JIT does not inline are boxed;
        // the first tile adds onto a zero output (0 + p), as the output buffer does
        if (first) {
            z.add(c00).intoArray(c, co);
            z.add(c01).intoArray(c, co + V);
            z.add(c02).intoArray(c, co + 2 * V);
            z.add(c03).intoArray(c, co + 3 * V);
            z.add(c10).intoArray(c, co + n);
            z.add(c11).intoArray(c, co + n + V);
            z.add(c12).intoArray(c, co + n + 2 * V);
            z.add(c13).intoArray(c, co + n + 3 * V);
            z.add(c20).intoArray(c, co + 2 * n);
            z.add(c21).intoArray(c, co + 2 * n + V);
            z.add(c22).intoArray(c, co + 2 * n + 2 * V);
            z.add(c23).intoArray(c, co + 2 * n + 3 * V);
            z.add(c30).intoArray(c, co + 3 * n);
            z.add(c31).intoArray(c, co + 3 * n + V);
            z.add(c32).intoArray(c, co + 3 * n + 2 * V);
            z.add(c33).intoArray(c, co + 3 * n + 3 * V);
            z.add(c40).intoArray(c, co + 4 * n);
            z.add(c41).intoArray(c, co + 4 * n + V);
            z.add(c42).intoArray(c, co + 4 * n + 2 * V);
            z.add(c43).intoArray(c, co + 4 * n + 3 * V);
            z.add(c50).intoArray(c, co + 5 * n);
            z.add(c51).intoArray(c, co + 5 * n + V);
            z.add(c52).intoArray(c, co + 5 * n + 2 * V);
            z.add(c53).intoArray(c, co + 5 * n + 3 * V);
        } else {
            FloatVector.fromArray(S, c, co).add(c00).intoArray(c, co);
            FloatVector.fromArray(S, c, co + V).add(c01).intoArray(c, co + V);
            FloatVector.fromArray(S, c, co + 2 * V).add(c02).intoArray(c, co + 2 * V);
            FloatVector.fromArray(S, c, co + 3 * V).add(c03).intoArray(c, co + 3 * V);
            FloatVector.fromArray(S, c, co + n).add(c10).intoArray(c, co + n);
            FloatVector.fromArray(S, c, co + n + V).add(c11).intoArray(c, co + n + V);
            FloatVector.fromArray(S, c, co + n + 2 * V).add(c12).intoArray(c, co + n + 2 * V);
            FloatVector.fromArray(S, c, co + n + 3 * V).add(c13).intoArray(c, co + n + 3 * V);
            FloatVector.fromArray(S, c, co + 2 * n).add(c20).intoArray(c, co + 2 * n);
            FloatVector.fromArray(S, c, co + 2 * n + V).add(c21).intoArray(c, co + 2 * n + V);
            FloatVector.fromArray(S, c, co + 2 * n + 2 * V).add(c22).intoArray(c, co + 2 * n + 2 * V);
            FloatVector.fromArray(S, c, co + 2 * n + 3 * V).add(c23).intoArray(c, co + 2 * n + 3 * V);
            FloatVector.fromArray(S, c, co + 3 * n).add(c30).intoArray(c, co + 3 * n);
            FloatVector.fromArray(S, c, co + 3 * n + V).add(c31).intoArray(c, co + 3 * n + V);
            FloatVector.fromArray(S, c, co + 3 * n + 2 * V).add(c32).intoArray(c, co + 3 * n + 2 * V);
            FloatVector.fromArray(S, c, co + 3 * n + 3 * V).add(c33).intoArray(c, co + 3 * n + 3 * V);
            FloatVector.fromArray(S, c, co + 4 * n).add(c40).intoArray(c, co + 4 * n);
            FloatVector.fromArray(S, c, co + 4 * n + V).add(c41).intoArray(c, co + 4 * n + V);
            FloatVector.fromArray(S, c, co + 4 * n + 2 * V).add(c42).intoArray(c, co + 4 * n + 2 * V);
            FloatVector.fromArray(S, c, co + 4 * n + 3 * V).add(c43).intoArray(c, co + 4 * n + 3 * V);
            FloatVector.fromArray(S, c, co + 5 * n).add(c50).intoArray(c, co + 5 * n);
            FloatVector.fromArray(S, c, co + 5 * n + V).add(c51).intoArray(c, co + 5 * n + V);
            FloatVector.fromArray(S, c, co + 5 * n + 2 * V).add(c52).intoArray(c, co + 5 * n + 2 * V);
            FloatVector.fromArray(S, c, co + 5 * n + 3 * V).add(c53).intoArray(c, co + 5 * n + 3 * V);
        }
    }

    /** {@link #micro} for the last rows of a chunk; partial sums go to {@code pb[q * W + x]}. */
    private static void microToBuffer(float[] a, int o0, int o1, int o2, int o3, int o4, int o5, int acs, float[] b,
                                      int bo, int bs, int len, float[] pb) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z;
        FloatVector c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z;
        FloatVector c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z;
        FloatVector c50 = z, c51 = z, c52 = z, c53 = z;
        for (int s = 0, ao = 0; s < len; s++, bo += bs, ao += acs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bo + 3 * V);
            FloatVector x = FloatVector.broadcast(S, a[o0 + ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[o1 + ao]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[o2 + ao]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[o3 + ao]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[o4 + ao]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, a[o5 + ao]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        // stored here, not in a helper: vectors passed to a method the JIT does not inline are boxed
        c00.intoArray(pb, 0);
        c01.intoArray(pb, V);
        c02.intoArray(pb, 2 * V);
        c03.intoArray(pb, 3 * V);
        c10.intoArray(pb, W);
        c11.intoArray(pb, W + V);
        c12.intoArray(pb, W + 2 * V);
        c13.intoArray(pb, W + 3 * V);
        c20.intoArray(pb, 2 * W);
        c21.intoArray(pb, 2 * W + V);
        c22.intoArray(pb, 2 * W + 2 * V);
        c23.intoArray(pb, 2 * W + 3 * V);
        c30.intoArray(pb, 3 * W);
        c31.intoArray(pb, 3 * W + V);
        c32.intoArray(pb, 3 * W + 2 * V);
        c33.intoArray(pb, 3 * W + 3 * V);
        c40.intoArray(pb, 4 * W);
        c41.intoArray(pb, 4 * W + V);
        c42.intoArray(pb, 4 * W + 2 * V);
        c43.intoArray(pb, 4 * W + 3 * V);
        c50.intoArray(pb, 5 * W);
        c51.intoArray(pb, 5 * W + V);
        c52.intoArray(pb, 5 * W + 2 * V);
        c53.intoArray(pb, 5 * W + 3 * V);
    }

    /** One vector of columns of MR rows over a tile of {@code len} steps (B at {@code bo + s * n}); partial sums to {@code pb[q * W + x ..]}. */
    private static void microOneVector(float[] a, int o0, int o1, int o2, int o3, int o4, int o5, int acs, float[] b,
                                       int bo, int n, int len, float[] pb, int x) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        for (int s = 0, ao = 0; s < len; s++, bo += n, ao += acs) {
            FloatVector bv = FloatVector.fromArray(S, b, bo);
            c0 = FloatVector.broadcast(S, a[o0 + ao]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[o1 + ao]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[o2 + ao]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[o3 + ao]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[o4 + ao]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[o5 + ao]).fma(bv, c5);
        }
        c0.intoArray(pb, x);
        c1.intoArray(pb, W + x);
        c2.intoArray(pb, 2 * W + x);
        c3.intoArray(pb, 3 * W + x);
        c4.intoArray(pb, 4 * W + x);
        c5.intoArray(pb, 5 * W + x);
    }

    /** Columns j+from .. j+to-1 (fewer than V) one by one over tile [t, te), A at {@code o_q + (kk - t) * acs}, {@code p = fma(a, b, p)} in the same order. */
    private static void scalarColumns(float[] a, int o0, int o1, int o2, int o3, int o4, int o5, int acs, float[] b,
                                      int n, int j, int from, int to, int t, int te, float[] pb) {
        int[] rows = {o0, o1, o2, o3, o4, o5};
        for (int q = 0; q < MR; q++) {
            int o = rows[q];
            for (int x = from; x < to; x++) {
                float p = 0f;
                for (int kk = t; kk < te; kk++) {
                    p = Math.fma(a[o + (kk - t) * acs], b[kk * n + j + x], p);
                }
                pb[q * W + x] = p;
            }
        }
    }

    /**
     * FP32 GFLOP/s of one thread running 12 independent chains of vector fused multiply-adds for about
     * {@code millis} ms of its CPU time (best of the slices, at least 5): the core's FMA throughput as this
     * JVM reaches it, used by {@code bench-gemm} to find the clock the core really runs at. Timed by the
     * thread's CPU time, not the wall clock, so that a machine shared with other jobs does not show a
     * slower core (the slices the thread waits for a core are not counted).
     */
    static double fmaThroughput(long millis) {
        float[] seed = seed();
        return bestPerCpuNano(millis, 12.0 * V * 2 * SLICE_ITERS, () -> fmaChains(SLICE_ITERS, seed));
    }

    /**
     * Dependent vector fused multiply-adds per nanosecond of one thread's CPU time (one chain, each FMA
     * waiting for the previous one; best of the slices): the clock divided by the FMA latency, an estimate
     * of the clock independent of how many FMA units the core has.
     */
    static double dependentFmaRate(long millis) {
        float[] seed = seed();
        return bestPerCpuNano(millis, 4.0 * SLICE_ITERS, () -> fmaChain(SLICE_ITERS, seed));
    }

    /** Loop iterations of one timed slice of {@link #fmaThroughput} and {@link #dependentFmaRate}. */
    private static final long SLICE_ITERS = 200_000;

    /** One timed slice of work; its result is kept so that the JIT cannot drop the work. */
    private interface Slice {
        float run();
    }

    /**
     * The best rate of {@code work} over slices run for about {@code millis} ms of this thread's CPU time (at
     * least 5, at most 200 slices): {@code perSlice} operations divided by the slice's CPU nanoseconds.
     */
    private static double bestPerCpuNano(long millis, double perSlice, Slice work) {
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = tm.getCurrentThreadCpuTime() + millis * 1_000_000L;
        double best = 0;
        float sink = 0;
        for (int r = 0; r < 200 && (r < 5 || tm.getCurrentThreadCpuTime() < end); r++) {
            long t0 = tm.getCurrentThreadCpuTime();
            sink += work.run();
            long dt = Math.max(1, tm.getCurrentThreadCpuTime() - t0);
            best = Math.max(best, perSlice / dt);
        }
        return sink == 42f ? best + 1e-9 : best;
    }

    private static float[] seed() {
        float[] seed = new float[2 * V];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = 0.5f + i * 1e-3f;
        }
        return seed;
    }

    private static float fmaChain(long iters, float[] seed) {
        FloatVector x = FloatVector.fromArray(S, seed, 0);
        FloatVector y = FloatVector.fromArray(S, seed, V).mul(1e-3f);
        FloatVector a = x;
        for (long i = 0; i < iters; i++) {
            a = a.fma(x, y);
            a = a.fma(x, y);
            a = a.fma(x, y);
            a = a.fma(x, y);
        }
        return a.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    private static float fmaChains(long iters, float[] seed) {
        FloatVector x = FloatVector.fromArray(S, seed, 0);
        FloatVector y = FloatVector.fromArray(S, seed, V).mul(1e-3f);
        FloatVector a0 = x.add(1), a1 = x.add(2), a2 = x.add(3), a3 = x.add(4), a4 = x.add(5), a5 = x.add(6);
        FloatVector a6 = x.add(7), a7 = x.add(8), a8 = x.add(9), a9 = x.add(10), a10 = x.add(11), a11 = x.add(12);
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
