package dev.sieve.dataflow.piuma;

import dev.sieve.dataflow.sparse.Coo;
import dev.sieve.dataflow.sparse.Csr;
import java.util.Arrays;

/**
 * Collects the rows of C as the threads finish them (in any order, a row possibly in several
 * column bands) and assembles the compressed product. With {@code keep} false only the entry
 * count is kept, for products too large to hold.
 */
public final class ProductRows {
    private final int rows;
    private final int cols;
    private final boolean keep;
    private final int[][] rowCols;
    private final double[][] rowVals;
    private final int[] rowLen;
    /** Entries so far; atomic because the rows of different cores may be added from different host threads. */
    private final java.util.concurrent.atomic.AtomicLong nnz = new java.util.concurrent.atomic.AtomicLong();

    public ProductRows(int rows, int cols, boolean keep) {
        this.rows = rows;
        this.cols = cols;
        this.keep = keep;
        this.rowCols = keep ? new int[rows][] : null;
        this.rowVals = keep ? new double[rows][] : null;
        this.rowLen = keep ? new int[rows] : null;
    }

    public boolean keeps() {
        return keep;
    }

    public void add(int row, int col, double value) {
        nnz.incrementAndGet();
        if (keep) {
            put(row, col, value);
        }
    }

    /**
     * Adds {@code n} entries of one row. Calls from different host threads must add different
     * rows (each row belongs to one core in the algorithms that run core by core).
     */
    public void addRow(int row, int[] cols, double[] vals, int n) {
        // (when entries are not kept, only n counts: cols and vals may be anything)
        nnz.addAndGet(n);
        if (keep) {
            for (int m = 0; m < n; m++) {
                put(row, cols[m], vals[m]);
            }
        }
    }

    private void put(int row, int col, double value) {
        int n = rowLen[row];
        if (rowCols[row] == null) {
            rowCols[row] = new int[4];
            rowVals[row] = new double[4];
        } else if (n == rowCols[row].length) {
            rowCols[row] = Arrays.copyOf(rowCols[row], n * 2);
            rowVals[row] = Arrays.copyOf(rowVals[row], n * 2);
        }
        rowCols[row][n] = col;
        rowVals[row][n] = value;
        rowLen[row] = n + 1;
    }

    /** Entries of C produced so far. */
    public long nnz() {
        return nnz.get();
    }

    /** The product; fails if an entry was produced twice (an algorithm bug) or nothing was kept. */
    public Csr toCsr() {
        if (!keep) {
            throw new IllegalStateException("the product was not kept (run with keepProduct)");
        }
        long nnz = this.nnz.get();
        if (nnz > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("product has " + nnz + " entries; too many for one CSR");
        }
        int[] r = new int[(int) nnz];
        int[] c = new int[(int) nnz];
        double[] v = new double[(int) nnz];
        int w = 0;
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < rowLen[i]; k++) {
                r[w] = i;
                c[w] = rowCols[i][k];
                v[w] = rowVals[i][k];
                w++;
            }
        }
        Csr m = new Coo(rows, cols, r, c, v).toCsr();
        if (m.nnz() != nnz) {
            throw new IllegalStateException("product has duplicate entries: " + nnz + " produced, " + m.nnz() + " distinct");
        }
        return m;
    }
}
