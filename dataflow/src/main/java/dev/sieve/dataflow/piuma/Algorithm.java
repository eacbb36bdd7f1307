package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;
import java.util.ArrayList;
import java.util.List;

/** The SpGEMM algorithms that map onto the PIUMA machine, by their command-line names. */
public enum Algorithm {
    /** Dot products of A's rows (CSR) with B's columns (CSC), every pair of non-empty ones. */
    INNER("inner"),
    /** Outer products of A's columns with B's rows into per-row buckets in DRAM, then a sort-merge per row. */
    OUTER("outer"),
    /** Row-wise Gustavson with a per-thread dense accumulator in DRAM. */
    GUSTAVSON("gustavson"),
    /** SMASH V1: atomic hashing into one scratchpad table per core, rows in windows, static work. */
    SMASH_V1("smash-v1"),
    /** SMASH V2: V1 with tokenized (dynamic) work and flop-balanced core blocks. */
    SMASH_V2("smash-v2"),
    /** SMASH V3: per-row table fragments allocated in the scratchpad, no windows, tokenized. */
    SMASH_V3("smash-v3");

    private final String cliName;

    Algorithm(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The algorithm named {@code name} on the command line, or an error listing the names. */
    public static Algorithm byName(String name) {
        List<String> names = new ArrayList<>();
        for (Algorithm x : values()) {
            if (x.cliName.equals(name)) {
                return x;
            }
            names.add(x.cliName);
        }
        throw new IllegalArgumentException("unknown algorithm '" + name + "'; allowed: " + String.join(", ", names));
    }

    /** Starts a run of this algorithm for {@code a x b} on {@code cfg}. */
    public SpgemmRun start(Csr a, Csr b, PiumaConfig cfg, boolean keepProduct) {
        return switch (this) {
            case INNER -> new InnerProduct(a, b, cfg, keepProduct);
            case OUTER -> new OuterProduct(a, b, cfg, keepProduct);
            case GUSTAVSON -> new Gustavson(a, b, cfg, keepProduct);
            case SMASH_V1, SMASH_V2 -> new SmashWindowed(this, a, b, cfg, keepProduct);
            case SMASH_V3 -> new SmashFragments(a, b, cfg, keepProduct);
        };
    }

    /**
     * The inner product of {@code a} with the columns of {@code b} that {@code keepColumn} admits, laid
     * out as a sample of the whole product that keeps each cache set's share of B: B's pointers
     * compacted to the kept columns (in order, as the whole run's are to all columns) and every line of
     * B's pointer and entry arrays {@code stride} lines after the previous one, with {@code stride} the
     * inverse of the fraction kept (a power of two). A cache whose set is chosen by the low bits of
     * the line then holds B in {@code 1/stride} of its sets, at the whole run's lines per set, while A
     * keeps all sets. With {@code stride} 1 and every column kept it is the whole run.
     */
    public static SpgemmRun startInnerColumnSample(Csr a, Csr b, java.util.function.IntPredicate keepColumn,
                                                   int stride, PiumaConfig cfg) {
        Csr sb = b.transpose().keepRows(keepColumn).transpose();
        int[] slot = new int[b.cols()];
        int n = 0;
        for (int j = 0; j < slot.length; j++) {
            slot[j] = n;
            if (keepColumn.test(j)) {
                n++;
            }
        }
        return new InnerProduct(a, sb, cfg, false, stride, stride == 1 ? null : slot);
    }

    /**
     * Phases of the outer product alone, for a phase-by-phase estimate: the symbolic pass when
     * {@code symbolic}, the multiply phase on a systematic sample of {@code multiplyFraction} of each
     * of A's columns (1: whole; 0: none, the threads go straight to the barrier; {@code salt} picks
     * the sample) and the merge phase when {@code merge}. With every phase whole it is the whole run
     * (same operations, same order). The product is not kept.
     */
    public static SpgemmRun startOuterPhases(Csr a, Csr b, PiumaConfig cfg, boolean symbolic, double multiplyFraction,
                                             int salt, boolean merge) {
        return new OuterProduct(a, b, cfg, false, symbolic, multiplyFraction, salt, merge, null);
    }

    /**
     * As {@link #startOuterPhases(Csr, Csr, PiumaConfig, boolean, double, int, boolean)}, the merge
     * given the entries of each row of C ({@link #outerRowCounts}) instead of counting them again:
     * the same operations.
     */
    public static SpgemmRun startOuterPhases(Csr a, Csr b, PiumaConfig cfg, boolean symbolic, double multiplyFraction,
                                             int salt, boolean merge, int[] rowCounts) {
        if (rowCounts != null && rowCounts.length != a.rows()) {
            throw new IllegalArgumentException("row counts for " + rowCounts.length + " rows, A has " + a.rows());
        }
        return new OuterProduct(a, b, cfg, false, symbolic, multiplyFraction, salt, merge, rowCounts);
    }

    /** The multiply-adds of {@code a x b} (a run's {@link SpgemmRun#flops}), without starting a run. */
    public static long flops(Csr a, Csr b) {
        long f = 0;
        for (long s : SpgemmRun.rowFlops(a, b)) {
            f += s;
        }
        return f;
    }

    /**
     * The entries of each row of {@code C = a x b} (its distinct columns; explicit zeros kept), one
     * pass over the partial products with a bit per column of B.
     */
    public static int[] outerRowCounts(Csr a, Csr b) {
        int[] counts = new int[a.rows()];
        long[] seen = new long[(b.cols() + 63) >>> 6];
        for (int i = 0; i < a.rows(); i++) {
            counts[i] = OuterProduct.distinctColumns(a, b, i, seen);
        }
        return counts;
    }

    /**
     * Multiply-phase operations of the outer product on {@code multiplyFraction} of each column of A
     * ({@link #startOuterPhases}), counted exactly without simulating: per column of A two pointer
     * loads, per kept entry a load and an atomic, and per partial product a load of B and a store.
     */
    public static long outerMultiplyOps(Csr a, Csr b, double multiplyFraction, int salt) {
        return outerMultiplyOpsByColumns(a.transpose(), b, multiplyFraction, salt);
    }

    /** {@link #outerMultiplyOps} given A's transpose {@code at} (A's columns as rows). */
    public static long outerMultiplyOpsByColumns(Csr at, Csr b, double multiplyFraction, int salt) {
        if (multiplyFraction <= 0) {
            return 0;
        }
        long ops = 0;
        for (int k = 0; k < at.rows(); k++) {
            ops += 2;
            if (at.rowLength(k) == 0 || b.rowLength(k) == 0) {
                continue;
            }
            ops += OuterProduct.kept(k, at.rowLength(k), multiplyFraction, salt) * (2 + 2L * b.rowLength(k));
        }
        return ops;
    }

    /**
     * The outer product's merge phase ({@link #startOuterPhases}) per hardware thread, counted without
     * simulating, given the entries of each row of C ({@link #outerRowCounts}): what the merge emits.
     * Rows are dealt round-robin to the threads; each loads its tail counter from the scratchpad of
     * core {@code row mod cores} (one operation, two slots) and, when it has {@code p > 0} partial
     * products, streams its bucket in (pieces of up to 15 of its {@code 2p} words, one slot each),
     * sorts it ({@link SpgemmRun#sortCycles} ALU cycles in operations of up to 255) and stores its
     * {@code m} entries (pieces of up to 15 words, one slot each).
     */
    public static OuterMergeWork outerMergeWork(Csr a, Csr b, PiumaConfig cfg, int[] rowCounts) {
        int threads = cfg.threads();
        int cores = cfg.cores();
        OuterMergeWork w = new OuterMergeWork(new long[threads], new long[threads], new long[threads],
                new long[threads], new long[threads], new long[threads], new long[threads], new long[threads]);
        long[] partials = SpgemmRun.rowFlops(a, b);
        for (int i = 0; i < a.rows(); i++) {
            int t = i % threads;
            long p = partials[i];
            w.slots()[t] += 2;
            w.spadLoads()[t]++;
            if (i % cores != t / cfg.threadsPerCore()) {
                w.remoteSpadLoads()[t]++;
            }
            if (p > 0) {
                long pieces = OuterProduct.bucketPieces(p);
                long sort = SpgemmRun.sortCycles(p);
                long stores = (rowCounts[i] + 14) / 15;
                w.slots()[t] += pieces + sort + stores;
                w.streamPieces()[t] += pieces;
                w.streamWords()[t] += 2 * p;
                w.computeOps()[t] += (sort + 254) / 255;
                w.storePieces()[t] += stores;
                w.storeWords()[t] += rowCounts[i];
            }
        }
        return w;
    }

    /**
     * The outer product's merge phase of each hardware thread ({@link #outerMergeWork}), indexed by
     * thread: issue slots, scratchpad loads (and those to another core's scratchpad), streamed load
     * pieces and their words, computation operations, store pieces and their words.
     */
    public record OuterMergeWork(long[] slots, long[] spadLoads, long[] remoteSpadLoads, long[] streamPieces,
                                 long[] streamWords, long[] computeOps, long[] storePieces, long[] storeWords) {
    }

    /**
     * Operations of the outer product's symbolic pass, its two chip barriers and its merge
     * ({@link #startOuterPhases} with an empty multiply phase), counted without simulating and
     * without counting C's rows (a pass over every partial product): a merged row stores its
     * entries in pieces of 15, between one piece and one per 15 of its partial products (at most
     * B's columns), and is taken halfway. For a progress display: at R-MAT 10-16 within 1.2 % of
     * the operations issued.
     */
    public static long outerSkeletonOps(Csr a, Csr b, PiumaConfig cfg) {
        long ops = 2L * cfg.threads();
        long storesLow = 0;
        long storesHigh = 0;
        long[] partials = SpgemmRun.rowFlops(a, b);
        for (int i = 0; i < a.rows(); i++) {
            int len = a.rowLength(i);
            ops += 1 + 2L * len + (len > 0 ? 1 : 0) + 1;
            long p = partials[i];
            if (p > 0) {
                ops += OuterProduct.bucketPieces(p) + (SpgemmRun.sortCycles(p) + 254) / 255;
                storesLow++;
                storesHigh += (Math.min(p, b.cols()) + 14) / 15;
            }
        }
        return ops + (storesLow + storesHigh) / 2;
    }

    /**
     * True when every run of this algorithm is {@linkplain SpgemmRun#coreLocal() core-local}, so a
     * simulation of it can use several host threads.
     */
    public boolean coreLocal() {
        return this == SMASH_V3 || this == INNER;
    }

    /**
     * A quick estimate of the operations a run issues (for deciding to sample): exact for the
     * dominant terms, ignoring hash collisions and small per-row costs.
     */
    public double estimateOps(Csr a, Csr b) {
        double flops = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
                flops += b.rowLength(a.colIdx()[p]);
            }
        }
        double nnzA = a.nnz();
        return switch (this) {
            case INNER -> {
                Csr bt = b.transpose();
                double rowsA = a.nonEmptyRows();
                double colsB = bt.nonEmptyRows();
                yield rowsA * colsB * 2 + colsB * nnzA + rowsA * b.nnz();
            }
            case OUTER -> 3 * flops + 5 * nnzA;
            case GUSTAVSON -> 3.5 * flops + 3 * nnzA;
            case SMASH_V1, SMASH_V2, SMASH_V3 -> 2.5 * flops + 5 * nnzA;
        };
    }

    /**
     * Which operand a sampled run thins: the inner product keeps every row of A and samples B's
     * columns (each row still meets a fraction of the columns, so all threads stay busy); the
     * others sample A's rows.
     */
    public boolean samplesColumnsOfB() {
        return this == INNER;
    }
}
