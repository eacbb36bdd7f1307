package dev.sieve.dataflow.piuma;

import dev.sieve.dataflow.sparse.Csr;

/**
 * The loads the inner product ({@link InnerProduct}) issues for each row of A, counted exactly
 * without running it, in time linear in the sizes of A and B.
 *
 * <p>A non-empty row {@code a} (last column {@code L}) meets every non-empty column {@code b} of B
 * (last row {@code l}). The merge stops when either list runs out, that is after the elements up
 * to {@code m = min(L, l)}; it loads B's column pointer, the first element of each list, and then
 * each element it moves onto unless that move ended the merge. So the pair costs
 * {@code 1 + |{a < m}|} loads of A's entries and {@code 2 + |{b < m}|} loads of B (pointer and
 * entries). Summed over the columns: the columns with {@code l >= L} give {@code |a| - 1} each and
 * {@code G(L)}, the entries of those columns above row {@code L}; the others give
 * {@code |b| - 1} each and, per entry {@code k < L} of the row, the columns whose last row lies in
 * {@code (k, L)}. Both sums come from prefix arrays over row indices. Every row also loads its row
 * pointer once, whether empty or not. Stores (one per non-empty dot product) are not counted.
 */
public final class InnerWork {
    private final long[] loads;
    private final long[] aLoads;
    private final long columns;
    private final boolean[] nonEmpty;

    private InnerWork(long[] loads, long[] aLoads, long columns, boolean[] nonEmpty) {
        this.loads = loads;
        this.aLoads = aLoads;
        this.columns = columns;
        this.nonEmpty = nonEmpty;
    }

    /** Loads of the inner product's rows for {@code a x b}. */
    public static InnerWork of(Csr a, Csr b) {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("inner dimensions differ: " + a.cols() + " and " + b.rows());
        }
        Csr bt = b.transpose();
        int k = b.rows();
        // per row index x: non-empty columns ending at x, and their lengths minus one
        long[] endCount = new long[k + 1];
        long[] endRest = new long[k + 1];
        // above[x]: entries (r, column) with r < x <= last row of the column, by a difference array
        long[] above = new long[k + 2];
        int[] br = bt.colIdx();
        long columns = 0;
        for (int j = 0; j < bt.rows(); j++) {
            int len = bt.rowLength(j);
            if (len == 0) {
                continue;
            }
            columns++;
            int last = br[bt.rowEnd(j) - 1];
            endCount[last]++;
            endRest[last] += len - 1;
            for (int q = bt.rowStart(j); q < bt.rowEnd(j) - 1; q++) {
                above[br[q] + 1]++;
                above[last + 1]--;
            }
        }
        // prefix forms: endsUpTo[x] = columns ending at or before x - 1 (endsUpTo[0] = 0)
        long[] endsBelow = new long[k + 1];
        long[] restBelow = new long[k + 1];
        long[] g = new long[k + 1];
        long run = 0;
        for (int x = 0; x < k; x++) {
            endsBelow[x + 1] = endsBelow[x] + endCount[x];
            restBelow[x + 1] = restBelow[x] + endRest[x];
            run += above[x];
            g[x] = run;
        }
        long[] loads = new long[a.rows()];
        long[] aLoads = new long[a.rows()];
        boolean[] nonEmpty = new boolean[a.rows()];
        int[] ac = a.colIdx();
        for (int i = 0; i < a.rows(); i++) {
            int la = a.rowLength(i);
            if (la == 0) {
                loads[i] = 1;
                continue;
            }
            nonEmpty[i] = true;
            int last = ac[a.rowEnd(i) - 1];
            long shorter = endsBelow[last]; // columns ending before L
            long longer = columns - shorter;
            long fromA = columns + longer * (la - 1);
            for (int p = a.rowStart(i); p < a.rowEnd(i) - 1; p++) {
                // columns whose last row lies strictly between this entry and L
                fromA += shorter - endsBelow[ac[p] + 1];
            }
            long fromB = 2 * columns + g[last] + restBelow[last];
            aLoads[i] = fromA;
            loads[i] = 1 + fromA + fromB;
        }
        return new InnerWork(loads, aLoads, columns, nonEmpty);
    }

    /** Loads row {@code i}'s thread issues for it (its row pointer and every merge with B's columns). */
    public long loads(int i) {
        return loads[i];
    }

    /** Of those, the loads of A's entries (the row's own, which its thread keeps re-reading). */
    public long aLoads(int i) {
        return aLoads[i];
    }

    /** Dot products row {@code i} computes: every non-empty column of B when the row is non-empty, else none. */
    public long pairs(int i) {
        return nonEmpty[i] ? columns : 0;
    }

    /**
     * Loads of the rows each core's threads take, exactly: the inner product deals row {@code i} to
     * thread {@code i mod threads}, on core {@code (i mod threads) / threadsPerCore} (linear in the rows).
     */
    public long[] coreLoads(int threads, int threadsPerCore) {
        if (threads < 1 || threadsPerCore < 1 || threads % threadsPerCore != 0) {
            throw new IllegalArgumentException("threads " + threads + " must be a positive multiple of threadsPerCore "
                    + threadsPerCore);
        }
        long[] perCore = new long[threads / threadsPerCore];
        for (int i = 0; i < loads.length; i++) {
            perCore[i % threads / threadsPerCore] += loads[i];
        }
        return perCore;
    }

    /** Loads of every row together. */
    public long totalLoads() {
        long s = 0;
        for (long x : loads) {
            s += x;
        }
        return s;
    }

    public int rows() {
        return loads.length;
    }
}
