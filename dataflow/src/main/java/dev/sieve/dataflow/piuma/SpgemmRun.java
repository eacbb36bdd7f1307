package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;

/**
 * One execution of an SpGEMM algorithm on a PIUMA machine, as {@link ThreadStreams}: it hands out
 * one lazily generated {@link ThreadProgram} per hardware thread, and when every program has ended
 * it holds the product and the algorithm's own counters (hash probes, partial products, scratchpad
 * use).
 *
 * <p>Hardware thread {@code t} belongs to core {@code t / threadsPerCore}. Data live at fixed DRAM
 * regions (A, B, C, partial products, accumulators), each 8-byte entry a packed (index, value)
 * pair; scratchpad addresses are offsets in a core's SPAD.
 */
public abstract class SpgemmRun implements ThreadStreams {
    // DRAM regions (64 GiB apart; addresses are 40 bits)
    static final long REGION = 1L << 36;
    static final long A_PTR = 0;
    static final long A_ENT = REGION;
    static final long B_PTR = 2 * REGION;
    static final long B_ENT = 3 * REGION;
    static final long C_OUT = 4 * REGION;
    static final long PARTIALS = 5 * REGION;
    static final long ACCUMULATORS = 6 * REGION;
    static final long TUPLES = 7 * REGION;
    static final long BOUNDS = 8 * REGION;
    static final long TOUCHED = 9 * REGION;
    static final long AT_PTR = 10 * REGION;
    static final long AT_ENT = 11 * REGION;
    static final long BT_PTR = 12 * REGION;
    static final long BT_ENT = 13 * REGION;
    /** Bytes of each thread's private output area in a region. */
    static final int THREAD_AREA_BITS = 26;
    // scratchpad layout: counters and tokens in the first 4 KiB, tables above
    static final long SPAD_TOKENS = 0;
    static final long SPAD_ALLOC = 64;
    static final long SPAD_COUNTERS = 128;
    static final long SPAD_RESERVED = 4096;

    protected final Algorithm algorithm;
    protected final Csr a;
    protected final Csr b;
    protected final PiumaConfig cfg;
    protected final ProductRows out;
    protected final int threads;
    protected final int threadsPerCore;
    protected final int cores;
    /** Multiply-adds of row i: the sum over A(i,k) of the length of B's row k. */
    protected final long[] flopsRow;
    private final long flops;
    private ThreadProgram[] programs;

    // counters the algorithms keep, per core: the programs of different cores may be generated on
    // different host threads (see coreLocal)
    final PerCore hashProbes;
    final PerCore hashCollisions;
    final PerCore partialProducts;
    final PerCore tokens;
    private final PerCore spadNow;
    private final PerCore spadPeak;

    protected SpgemmRun(Algorithm algorithm, Csr a, Csr b, PiumaConfig cfg, boolean keepProduct) {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("cannot multiply " + a.rows() + " x " + a.cols() + " by " + b.rows()
                    + " x " + b.cols() + ": inner dimensions differ");
        }
        this.algorithm = algorithm;
        this.a = a;
        this.b = b;
        this.cfg = cfg;
        this.out = new ProductRows(a.rows(), b.cols(), keepProduct);
        this.threads = cfg.threads();
        this.threadsPerCore = cfg.threadsPerCore();
        this.cores = cfg.cores();
        this.flopsRow = rowFlops(a, b);
        long f = 0;
        for (long s : flopsRow) {
            f += s;
        }
        this.flops = f;
        this.hashProbes = new PerCore(cores);
        this.hashCollisions = new PerCore(cores);
        this.partialProducts = new PerCore(cores);
        this.tokens = new PerCore(cores);
        this.spadNow = new PerCore(cores);
        this.spadPeak = new PerCore(cores);
    }

    /** The multiply-adds (partial products) of each row of {@code a x b}: the lengths of B's rows its entries name. */
    static long[] rowFlops(Csr a, Csr b) {
        long[] perRow = new long[a.rows()];
        int[] ac = a.colIdx();
        for (int i = 0; i < a.rows(); i++) {
            long s = 0;
            for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
                s += b.rowLength(ac[p]);
            }
            perRow[i] = s;
        }
        return perRow;
    }

    public final Algorithm algorithm() {
        return algorithm;
    }

    @Override
    public final PiumaConfig config() {
        return cfg;
    }

    @Override
    public final ThreadProgram program(int t) {
        if (programs == null) {
            programs = new ThreadProgram[threads];
        }
        if (programs[t] == null) {
            programs[t] = newProgram(t);
        }
        return programs[t];
    }

    protected abstract ThreadProgram newProgram(int t);

    /** The product; valid once every program has ended and only when the product was kept. */
    public final Csr product() {
        return out.toCsr();
    }

    /** Entries of C produced. */
    public final long productNnz() {
        return out.nnz();
    }

    /** Multiply-adds of the product (partial products before merging). */
    public final long flops() {
        return flops;
    }

    public final long hashProbes() {
        return hashProbes.sum();
    }

    /** Probes beyond the first slot of each insert. */
    public final long hashCollisions() {
        return hashCollisions.sum();
    }

    public final long partialProducts() {
        return partialProducts.sum();
    }

    /** Work-queue tokens taken (dynamic distribution). */
    public final long tokens() {
        return tokens.sum();
    }

    /** Largest scratchpad footprint of any one core, bytes (tables, buckets, counters). */
    public final long spadPeakBytes() {
        return spadPeak.max();
    }

    protected final void spadUse(int core, long bytes) {
        spadNow.add(core, bytes);
        if (spadNow.get(core) > spadPeak.get(core)) {
            spadPeak.set(core, spadNow.get(core));
        }
    }

    protected final int coreOf(int t) {
        return t / threadsPerCore;
    }

    // ---- addresses
    static long aPtr(int i) {
        return A_PTR + 4L * i;
    }

    static long aEnt(int p) {
        return A_ENT + 8L * p;
    }

    static long bPtr(int k) {
        return B_PTR + 4L * k;
    }

    static long bEnt(int q) {
        return B_ENT + 8L * q;
    }

    static long threadArea(long region, int t, long byteOffset) {
        return region + ((long) t << THREAD_AREA_BITS) + (byteOffset & ((1L << THREAD_AREA_BITS) - 1));
    }

    /** ALU cycles to sort {@code n} entries in place: about two per element per merge level. */
    public static long sortCycles(long n) {
        if (n < 2) {
            return n;
        }
        return 2 * n * (64 - Long.numberOfLeadingZeros(n - 1));
    }

    /** Smallest power of two at least {@code x} (and at least {@code min}). */
    static int pow2AtLeast(long x, int min) {
        long p = Math.max(min, 1);
        while (p < x) {
            p <<= 1;
        }
        if (p > 1 << 30) {
            throw new IllegalArgumentException("table of " + p + " slots is too large");
        }
        return (int) p;
    }

    /** Index of the first entry of B's row {@code k} at column {@code >= col}, and the loads it takes. */
    final int lowerBound(int k, int col) {
        int lo = b.rowStart(k);
        int hi = b.rowEnd(k);
        int[] c = b.colIdx();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (c[mid] < col) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The symbolic pass shared by the algorithms that size storage per row: thread {@code t}
     * reads the rows {@code t, t + threads, ...} of A and the lengths of the B rows they name,
     * and stores each row's multiply-add count; then a chip barrier.
     */
    final class SymbolicPass {
        private int row;
        private boolean barrierDone;

        SymbolicPass(int t) {
            this.row = t;
        }

        /** Emits the next row of the pass (or the final barrier) into {@code p}; false when done. */
        boolean step(Emitter p) {
            if (row < a.rows()) {
                // rows until the piece is long enough (the pass touches nothing other threads see)
                int[] ac = a.colIdx();
                int emitted = 0;
                do {
                    int i = row;
                    row += threads;
                    p.op(Op.LOAD, 1, 1, 0, aPtr(i));
                    for (int q = a.rowStart(i); q < a.rowEnd(i); q++) {
                        p.op(Op.LOAD, 0, 1, 0, aEnt(q));
                        p.op(Op.LOAD, 1, 1, 0, bPtr(ac[q]));
                    }
                    emitted += 1 + 2 * a.rowLength(i);
                    if (a.rowLength(i) > 0) {
                        p.op(Op.STORE, 1, 1, 0, BOUNDS + 8L * i);
                        emitted++;
                    }
                } while (row < a.rows() && emitted < ThreadProgram.CHUNK);
                return true;
            }
            if (!barrierDone) {
                barrierDone = true;
                p.op(Op.BARRIER, 0, 0, Op.CHIP, 0);
                return true;
            }
            return false;
        }
    }

    /** What a helper emits into: the program being refilled. */
    interface Emitter {
        void op(int kind, int alu, int words, int core, long address);
    }

    /** A program with an {@link Emitter} view of itself. */
    abstract static class Program extends ThreadProgram implements Emitter {
        @Override
        public void op(int kind, int alu, int words, int core, long address) {
            emit(kind, alu, words, core, address);
        }
    }

    @Override
    public String toString() {
        return algorithm.cliName() + " " + a + " x " + b;
    }
}
