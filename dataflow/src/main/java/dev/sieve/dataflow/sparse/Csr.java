package dev.sieve.dataflow.sparse;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * Compressed sparse rows: row {@code i} holds columns {@code colIdx[rowPtr[i] .. rowPtr[i+1])},
 * strictly increasing, with their values. Immutable by convention: the arrays are shared with
 * callers for speed and must not be changed.
 */
public final class Csr {
    private final int rows;
    private final int cols;
    private final int[] rowPtr;
    private final int[] colIdx;
    private final double[] values;

    public Csr(int rows, int cols, int[] rowPtr, int[] colIdx, double[] values) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape " + rows + " x " + cols + " is negative");
        }
        if (rowPtr.length != rows + 1 || rowPtr[0] != 0 || rowPtr[rows] != colIdx.length
                || colIdx.length != values.length) {
            throw new IllegalArgumentException("CSR arrays do not agree: rowPtr has " + rowPtr.length + " entries for "
                    + rows + " rows, ends at " + rowPtr[rowPtr.length - 1] + "; " + colIdx.length + " columns, "
                    + values.length + " values");
        }
        for (int i = 0; i < rows; i++) {
            if (rowPtr[i + 1] < rowPtr[i]) {
                throw new IllegalArgumentException("rowPtr decreases at row " + i);
            }
            for (int k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
                int c = colIdx[k];
                if (c < 0 || c >= cols || (k > rowPtr[i] && colIdx[k - 1] >= c)) {
                    throw new IllegalArgumentException("row " + i + " column " + c
                            + " is out of range or not strictly increasing (" + cols + " columns)");
                }
            }
        }
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int nnz() {
        return colIdx.length;
    }

    public int[] rowPtr() {
        return rowPtr;
    }

    public int[] colIdx() {
        return colIdx;
    }

    public double[] values() {
        return values;
    }

    public int rowStart(int i) {
        return rowPtr[i];
    }

    public int rowEnd(int i) {
        return rowPtr[i + 1];
    }

    public int rowLength(int i) {
        return rowPtr[i + 1] - rowPtr[i];
    }

    /** The value at {@code (i, j)}, zero when not stored. */
    public double get(int i, int j) {
        int k = Arrays.binarySearch(colIdx, rowPtr[i], rowPtr[i + 1], j);
        return k >= 0 ? values[k] : 0.0;
    }

    /** The transpose, as compressed rows. */
    public Csr transpose() {
        int[] ptr = new int[cols + 1];
        for (int c : colIdx) {
            ptr[c + 1]++;
        }
        for (int j = 0; j < cols; j++) {
            ptr[j + 1] += ptr[j];
        }
        int[] fill = Arrays.copyOf(ptr, cols);
        int[] idx = new int[nnz()];
        double[] val = new double[nnz()];
        for (int i = 0; i < rows; i++) {
            for (int k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
                int at = fill[colIdx[k]]++;
                idx[at] = i;
                val[at] = values[k];
            }
        }
        return new Csr(cols, rows, ptr, idx, val);
    }

    /** The same matrix in compressed columns. */
    public Csc toCsc() {
        return Csc.ofTranspose(transpose());
    }

    /** The same matrix as coordinate triples in row-major order. */
    public Coo toCoo() {
        int[] r = new int[nnz()];
        for (int i = 0; i < rows; i++) {
            Arrays.fill(r, rowPtr[i], rowPtr[i + 1], i);
        }
        return new Coo(rows, cols, r, colIdx.clone(), values.clone());
    }

    /** The same structure with each value {@code f(value)}. */
    public Csr mapValues(DoubleUnaryOperator f) {
        double[] v = new double[values.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = f.applyAsDouble(values[k]);
        }
        return new Csr(rows, cols, rowPtr, colIdx, v);
    }

    /** Position-dependent values: {@code f(i, j)} at each stored {@code (i, j)}. */
    public Csr withValues(EntryFunction f) {
        double[] v = new double[values.length];
        for (int i = 0; i < rows; i++) {
            for (int k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
                v[k] = f.value(i, colIdx[k]);
            }
        }
        return new Csr(rows, cols, rowPtr, colIdx, v);
    }

    /** A value as a function of its position. */
    @FunctionalInterface
    public interface EntryFunction {
        double value(int row, int col);
    }

    /** Only the rows for which {@code keep} holds; the others become empty. Shape unchanged. */
    public Csr keepRows(java.util.function.IntPredicate keep) {
        int[] ptr = new int[rows + 1];
        int n = 0;
        for (int i = 0; i < rows; i++) {
            if (keep.test(i)) {
                n += rowLength(i);
            }
            ptr[i + 1] = n;
        }
        int[] c = new int[n];
        double[] v = new double[n];
        for (int i = 0; i < rows; i++) {
            if (keep.test(i)) {
                System.arraycopy(colIdx, rowPtr[i], c, ptr[i], rowLength(i));
                System.arraycopy(values, rowPtr[i], v, ptr[i], rowLength(i));
            }
        }
        return new Csr(rows, cols, ptr, c, v);
    }

    /**
     * The same matrix without its stored zeros (entries whose value is 0 or -0): what SciPy's
     * {@code eliminate_zeros} keeps. Explicit zeros are otherwise kept as structure, as GraphBLAS
     * keeps them.
     */
    public Csr withoutZeros() {
        int[] ptr = new int[rows + 1];
        int n = 0;
        for (int i = 0; i < rows; i++) {
            for (int k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
                if (values[k] != 0.0) {
                    n++;
                }
            }
            ptr[i + 1] = n;
        }
        int[] c = new int[n];
        double[] v = new double[n];
        int w = 0;
        for (int k = 0; k < rowPtr[rows]; k++) {
            if (values[k] != 0.0) {
                c[w] = colIdx[k];
                v[w++] = values[k];
            }
        }
        return new Csr(rows, cols, ptr, c, v);
    }

    /** Stored entries whose value is zero (explicit or cancelled). */
    public long zeroEntries() {
        long z = 0;
        for (int k = 0; k < rowPtr[rows]; k++) {
            if (values[k] == 0.0) {
                z++;
            }
        }
        return z;
    }

    /** Number of rows with at least one entry. */
    public int nonEmptyRows() {
        int n = 0;
        for (int i = 0; i < rows; i++) {
            if (rowPtr[i + 1] > rowPtr[i]) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Csr c && rows == c.rows && cols == c.cols && Arrays.equals(rowPtr, c.rowPtr)
                && Arrays.equals(colIdx, c.colIdx) && Arrays.equals(values, c.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rowPtr) + Arrays.hashCode(colIdx);
    }

    /**
     * The first place where this matrix and {@code other} differ, or {@code null} when they are
     * equal (a short message for test failures instead of two huge dumps).
     */
    public String firstDifference(Csr other) {
        return firstDifference(other, 0.0);
    }

    /**
     * Like {@link #firstDifference(Csr)}, but values may differ by {@code relTol} relative to the
     * larger magnitude (for real values summed in another order). The structure must match exactly.
     */
    public String firstDifference(Csr other, double relTol) {
        return firstDifference(other, (i, j, x, y) -> relTol * Math.max(Math.abs(x), Math.abs(y)));
    }

    /** The difference entry (i, j) may show between values x and y. */
    private interface Allowed {
        double of(int i, int j, double x, double y);
    }

    private String firstDifference(Csr other, Allowed allowed) {
        if (rows != other.rows || cols != other.cols) {
            return "shape " + rows + "x" + cols + " vs " + other.rows + "x" + other.cols;
        }
        for (int i = 0; i < rows; i++) {
            int a = rowPtr[i];
            int b = other.rowPtr[i];
            while (a < rowPtr[i + 1] || b < other.rowPtr[i + 1]) {
                int ca = a < rowPtr[i + 1] ? colIdx[a] : Integer.MAX_VALUE;
                int cb = b < other.rowPtr[i + 1] ? other.colIdx[b] : Integer.MAX_VALUE;
                if (ca != cb) {
                    int c = Math.min(ca, cb);
                    return "(" + i + ", " + c + "): " + (ca == c ? "stored " + values[a] : "absent") + " vs "
                            + (cb == c ? "stored " + other.values[b] : "absent");
                }
                double x = values[a];
                double y = other.values[b];
                if (Double.compare(x, y) != 0) {
                    double tol = allowed.of(i, ca, x, y);
                    if (!(Math.abs(x - y) <= tol)) {
                        return "(" + i + ", " + ca + "): " + x + " vs " + y
                                + (tol > 0 ? " (allowed difference " + tol + ")" : "");
                    }
                }
                a++;
                b++;
            }
        }
        return null;
    }

    /**
     * Like {@link #firstDifference(Csr)}, but entry (i, j) may differ by {@code factor * bound(i, j)}:
     * with {@code bound} the product of the absolute values (the sum of |terms| of each entry) and
     * {@code factor = 2 (n - 1) 2^-53} for at most n terms per entry, this admits exactly the
     * rounding that summing the same terms in another order can cause. The structure must match.
     */
    public String firstDifference(Csr other, Csr bound, double factor) {
        return firstDifference(other, (i, j, x, y) -> factor * Math.abs(bound.get(i, j)));
    }

    @Override
    public String toString() {
        return "Csr[" + rows + "x" + cols + ", nnz=" + nnz() + "]";
    }
}
