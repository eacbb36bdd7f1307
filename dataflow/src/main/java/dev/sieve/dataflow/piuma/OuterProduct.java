package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Coo;
import dev.sieve.dataflow.sparse.Csr;

/**
 * Outer-product SpGEMM with a merge. A symbolic pass counts each row's partial products (sizing
 * its bucket in DRAM); a barrier; the multiply phase deals A's columns round-robin to threads and
 * writes every product {@code A(i,k) * B(k,j)} as a 16-byte (row, column, value) partial into row
 * i's bucket, reserving bucket space with one atomic on a tail counter kept in the scratchpad of
 * core {@code i mod cores}; a barrier; the merge phase deals rows round-robin, streams each
 * bucket back, sorts it (two ALU cycles per element per level) and stores the merged row of C.
 * Inputs are read once, but every multiply-add crosses DRAM twice as a partial product.
 */
final class OuterProduct extends SpgemmRun {
    /**
     * Partial products the merge streams in per bucket request. (A field {@code CHUNK = 4096} stood
     * here, but the merge's code, in a subclass of {@link ThreadProgram}, read that class's
     * {@code CHUNK}, 1024: the model has always streamed 1024. Named apart so that both uses agree.)
     */
    private static final int BUCKET_CHUNK = 1024;
    private final Csr at;
    private final long[] bucketBase;
    private final long[] bucketTail;
    private final int[] ppCol;
    private final double[] ppVal;
    /**
     * Counting the distinct columns of a merged row when the product is not kept and the counts were
     * not given ({@link #distinctColumns}): a bit per column of B, one array per core (a core's programs
     * are generated on one host thread, see {@link #coreLocal}).
     */
    private final long[][] seenColumns;
    /** Whether the symbolic pass (and its barrier) runs: false in a multiply-phase sample. */
    private final boolean symbolicPhase;
    /** Whether the merge phase (and the barrier before it) runs: false in a multiply-phase sample. */
    private final boolean mergePhase;
    /** Fraction of each column of A the multiply phase takes (1: all, 0: none; see {@link #keeps}). */
    private final double multiplyFraction;
    /** Which systematic sample of each column: the offset's salt. */
    private final int salt;
    /** The entries of each row of C when the caller counted them ({@link Algorithm#outerRowCounts}), else null. */
    private final int[] rowCounts;

    OuterProduct(Csr a, Csr b, PiumaConfig cfg, boolean keepProduct) {
        this(a, b, cfg, keepProduct, true, 1.0, 0, true, null);
    }

    /**
     * The outer product with its phases selected: the symbolic pass, the multiply phase on a
     * fraction {@code multiplyFraction} of every column of A ({@link #keeps}; 1 all, 0 none: the
     * threads go straight to the barrier) and the merge phase. A run without the symbolic pass starts
     * with the multiply phase; one without the merge phase ends when the last thread has written its
     * last partial (no closing barrier). Every phase that runs is the whole run's: same threads, same
     * columns and rows, same addresses.
     */
    OuterProduct(Csr a, Csr b, PiumaConfig cfg, boolean keepProduct, boolean symbolicPhase, double multiplyFraction,
                 int salt, boolean mergePhase, int[] rowCounts) {
        super(Algorithm.OUTER, a, b, cfg, keepProduct);
        if (!(multiplyFraction >= 0 && multiplyFraction <= 1)) {
            throw new IllegalArgumentException("multiply fraction must lie in [0, 1], got " + multiplyFraction);
        }
        if (keepProduct && (multiplyFraction < 1 || !mergePhase)) {
            throw new IllegalArgumentException("the product needs the whole multiply and merge phases");
        }
        this.symbolicPhase = symbolicPhase;
        this.mergePhase = mergePhase;
        this.multiplyFraction = multiplyFraction;
        this.salt = salt;
        this.rowCounts = keepProduct ? null : rowCounts;
        this.at = a.transpose();
        this.seenColumns = new long[cores][];
        bucketBase = new long[a.rows() + 1];
        for (int i = 0; i < a.rows(); i++) {
            bucketBase[i + 1] = bucketBase[i] + flopsRow[i];
        }
        bucketTail = new long[a.rows()];
        if (keepProduct) {
            if (flops() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("outer product with " + flops()
                        + " partial products is too large to keep; run without keeping the product");
            }
            ppCol = new int[(int) flops()];
            ppVal = new double[(int) flops()];
        } else {
            ppCol = null;
            ppVal = null;
        }
        // bucket tail counters: one word per row, spread over the cores' scratchpads
        for (int c = 0; c < cores; c++) {
            spadUse(c, 8L * ((a.rows() + cores - 1 - c) / cores));
        }
    }

    /**
     * Whether the multiply phase takes the {@code r}-th entry (0-based) of A's column {@code k} at
     * fraction {@code f}: a systematic sample with a random start per column, entry {@code r} kept
     * when {@code floor(f (r + 1) + u)} exceeds {@code floor(f r + u)}, {@code u} in [0, 1) drawn
     * from {@code k} and {@code salt}. A column of {@code L} entries keeps {@code floor(f L + u)}
     * of them, {@code f L} on average, spread evenly over its rows; every entry of a column costs
     * the same (B's row k), so each column, and each thread's columns, keep very nearly the fraction
     * f of their work.
     */
    static boolean keeps(int k, int r, double f, int salt) {
        if (f >= 1) {
            return true;
        }
        double u = SampleHash.unit(k, salt);
        return Math.floor(f * (r + 1) + u) > Math.floor(f * r + u);
    }

    /**
     * How many of the {@code length} entries of A's column {@code k} the multiply phase takes at
     * fraction {@code f} ({@link #keeps}): the kept entries telescope to {@code floor(f length + u)}.
     */
    static long kept(int k, int length, double f, int salt) {
        if (f >= 1) {
            return length;
        }
        return (long) Math.floor(f * length + SampleHash.unit(k, salt));
    }

    /**
     * Core-local in effect when the multiply phase is empty (a skeleton run): the symbolic pass and
     * the merge load and store through the thread's own core's cache and DRAM channel, and their
     * only other operation, the load of a row's tail counter from the scratchpad of core
     * {@code i mod cores}, is charged by the model as latency alone (no port, no queue, nothing it
     * changes), so the cores share nothing but the chip barriers and may be simulated core by core
     * with the same result (tested). The multiply phase's atomics on other cores' tail counters do
     * meet: a run with any multiply phase is simulated on one engine for the chip.
     */
    @Override
    public boolean coreLocal() {
        return multiplyFraction == 0;
    }

    /**
     * The streamed pieces (of up to 15 words) in which the merge loads a bucket of {@code p} partial
     * products of two words each: {@link #BUCKET_CHUNK} partials at a time, each chunk in pieces of its
     * own.
     */
    static long bucketPieces(long p) {
        long perChunk = (2L * BUCKET_CHUNK + 14) / 15;
        return p / BUCKET_CHUNK * perChunk + (2 * (p % BUCKET_CHUNK) + 14) / 15;
    }

    /**
     * The distinct columns of row {@code i} of {@code a x b}: a bit per column of B in {@code seen}
     * (all clear on entry and on return). At 8 KiB per 65,536 columns it stays in the host's
     * first-level cache, where an {@code int} stamp per column did not.
     */
    static int distinctColumns(Csr a, Csr b, int i, long[] seen) {
        int distinct = 0;
        long p = 0;
        int[] ac = a.colIdx();
        int[] bc = b.colIdx();
        for (int q = a.rowStart(i); q < a.rowEnd(i); q++) {
            int k = ac[q];
            p += b.rowLength(k);
            for (int r = b.rowStart(k); r < b.rowEnd(k); r++) {
                int j = bc[r];
                long w = seen[j >>> 6];
                // a shift by j takes j mod 64: the column's bit, counted when not yet set
                distinct += (int) (~w >>> j) & 1;
                seen[j >>> 6] = w | (1L << j);
            }
        }
        if (p >= seen.length) {
            java.util.Arrays.fill(seen, 0);
        } else {
            for (int q = a.rowStart(i); q < a.rowEnd(i); q++) {
                int k = ac[q];
                for (int r = b.rowStart(k); r < b.rowEnd(k); r++) {
                    seen[bc[r] >>> 6] = 0;
                }
            }
        }
        return distinct;
    }

    private long tailAddress(int i) {
        return SPAD_RESERVED + 8L * (i / cores);
    }

    @Override
    protected ThreadProgram newProgram(int t) {
        return new Program() {
            private final SymbolicPass symbolic = new SymbolicPass(t);
            private int phase = symbolicPhase ? 0 : 1;
            private int column = multiplyFraction > 0 ? t : Integer.MAX_VALUE;
            private int entry = -1;
            private int row = t;
            private long written;
            // merge state of the current row
            private int stage;
            private long cursor;
            private int[] mergedCols;
            private double[] mergedVals;
            private int mergedCount;

            @Override
            protected boolean refill() {
                if (phase == 0) {
                    if (symbolic.step(this)) {
                        return true;
                    }
                    phase = 1;
                }
                if (phase == 1) {
                    if (multiplyStep()) {
                        return true;
                    }
                    if (!mergePhase) {
                        return false;
                    }
                    phase = 2;
                    barrier(Op.CHIP);
                    return true;
                }
                return mergeStep();
            }

            /** One A entry of the current column (or the column's pointer loads). */
            private boolean multiplyStep() {
                while (true) {
                    if (column >= at.rows()) {
                        return false;
                    }
                    int k = column;
                    if (entry < 0) {
                        load(AT_PTR + 4L * k, 1);
                        load(bPtr(k), 1);
                        if (at.rowLength(k) == 0 || b.rowLength(k) == 0) {
                            column += threads;
                            return true;
                        }
                        entry = at.rowStart(k);
                        return true;
                    }
                    int p = entry;
                    if (!keeps(k, p - at.rowStart(k), multiplyFraction, salt)) {
                        entry++;
                        if (entry == at.rowEnd(k)) {
                            entry = -1;
                            column += threads;
                        }
                        continue;
                    }
                    int i = at.colIdx()[p];
                    double x = at.values()[p];
                    load(AT_ENT + 8L * p, 0);
                    emit(Op.ATOMIC, 1, 1, i % cores, tailAddress(i));
                    long slot = bucketBase[i] + bucketTail[i];
                    bucketTail[i] += b.rowLength(k);
                    int[] bc = b.colIdx();
                    double[] bv = b.values();
                    for (int q = b.rowStart(k); q < b.rowEnd(k); q++, slot++) {
                        load(bEnt(q), 0);
                        store(PARTIALS + 16 * slot, 2, 1);
                        if (ppCol != null) {
                            ppCol[(int) slot] = bc[q];
                            ppVal[(int) slot] = x * bv[q];
                        }
                    }
                    partialProducts.add(coreOf(t), b.rowLength(k));
                    entry++;
                    if (entry == at.rowEnd(k)) {
                        entry = -1;
                        column += threads;
                    }
                    return true;
                }
            }

            private boolean mergeStep() {
                if (stage == 0) {
                    if (row >= a.rows()) {
                        return false;
                    }
                    emit(Op.SPAD_LOAD, 1, 1, row % cores, tailAddress(row));
                    if (flopsRow[row] == 0) {
                        row += threads;
                        return true;
                    }
                    merge(row);
                    stage = 1;
                    cursor = 0;
                    return true;
                }
                long p = flopsRow[row];
                if (stage == 1) {
                    // DMA the bucket in, a chunk at a time
                    long end = Math.min(p, cursor + BUCKET_CHUNK);
                    dmaLoad(PARTIALS + 16 * (bucketBase[row] + cursor), 2 * (end - cursor));
                    cursor = end;
                    if (cursor == p) {
                        compute(sortCycles(p));
                        dmaStore(threadArea(C_OUT, t, 8 * written), mergedCount);
                        written += mergedCount;
                        // one count per row (an entry at a time was an atomic add per entry of C)
                        out.addRow(row, mergedCols, mergedVals, mergedCount);
                        stage = 0;
                        row += threads;
                    }
                    return true;
                }
                throw new IllegalStateException("merge stage " + stage);
            }

            /** Merges row i's bucket: sorts the stored partials, or only counts when they were not kept. */
            private void merge(int i) {
                int p = (int) flopsRow[i];
                if (ppCol != null) {
                    int base = (int) bucketBase[i];
                    int[] cols = new int[p];
                    double[] vals = new double[p];
                    System.arraycopy(ppCol, base, cols, 0, p);
                    System.arraycopy(ppVal, base, vals, 0, p);
                    Csr merged = new Coo(1, b.cols(), new int[p], cols, vals).toCsr();
                    mergedCols = merged.colIdx();
                    mergedVals = merged.values();
                    mergedCount = merged.nnz();
                    return;
                }
                int distinct;
                if (rowCounts != null) {
                    distinct = rowCounts[i];
                } else {
                    int core = coreOf(t);
                    if (seenColumns[core] == null) {
                        seenColumns[core] = new long[(b.cols() + 63) >>> 6];
                    }
                    distinct = distinctColumns(a, b, i, seenColumns[core]);
                }
                mergedCols = null;
                mergedVals = null;
                mergedCount = distinct;
            }
        };
    }
}
