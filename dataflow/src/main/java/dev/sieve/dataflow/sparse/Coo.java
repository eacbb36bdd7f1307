package dev.sieve.dataflow.sparse;

import java.util.Arrays;

/**
 * A matrix as coordinate triples {@code (row[k], col[k], value[k])}, zero-based, in any order;
 * duplicates are allowed and sum when converted to {@link Csr}. The arrays are owned by the
 * record (callers must not change them after construction).
 */
public record Coo(int rows, int cols, int[] row, int[] col, double[] value) {

    public Coo {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape " + rows + " x " + cols + " is negative");
        }
        if (row.length != col.length || row.length != value.length) {
            throw new IllegalArgumentException("triple arrays differ in length: rows " + row.length + ", cols "
                    + col.length + ", values " + value.length);
        }
        for (int k = 0; k < row.length; k++) {
            if (row[k] < 0 || row[k] >= rows || col[k] < 0 || col[k] >= cols) {
                throw new IllegalArgumentException("entry " + k + " at (" + row[k] + ", " + col[k]
                        + ") is outside the " + rows + " x " + cols + " matrix");
            }
        }
    }

    public int size() {
        return row.length;
    }

    /** Compressed rows, columns sorted within each row, duplicates summed, explicit zeros kept. */
    public Csr toCsr() {
        int n = row.length;
        int[] ptr = new int[rows + 1];
        for (int r : row) {
            ptr[r + 1]++;
        }
        for (int i = 0; i < rows; i++) {
            ptr[i + 1] += ptr[i];
        }
        int[] fill = Arrays.copyOf(ptr, rows);
        int[] c = new int[n];
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            int at = fill[row[k]]++;
            c[at] = col[k];
            v[at] = value[k];
        }
        // sort each row by column and merge duplicates
        int[] outPtr = new int[rows + 1];
        int w = 0;
        for (int i = 0; i < rows; i++) {
            int lo = ptr[i];
            int hi = ptr[i + 1];
            sortByKey(c, v, lo, hi);
            int rowStart = w;
            for (int k = lo; k < hi; k++) {
                if (w > rowStart && c[w - 1] == c[k]) {
                    v[w - 1] += v[k];
                } else {
                    c[w] = c[k];
                    v[w] = v[k];
                    w++;
                }
            }
            outPtr[i + 1] = w;
        }
        return new Csr(rows, cols, outPtr, Arrays.copyOf(c, w), Arrays.copyOf(v, w));
    }

    /** Insertion sort for short runs, otherwise an index sort; keeps keys and values paired. */
    static void sortByKey(int[] keys, double[] vals, int lo, int hi) {
        int len = hi - lo;
        if (len < 2) {
            return;
        }
        if (len <= 32) {
            for (int i = lo + 1; i < hi; i++) {
                int k = keys[i];
                double x = vals[i];
                int j = i - 1;
                while (j >= lo && keys[j] > k) {
                    keys[j + 1] = keys[j];
                    vals[j + 1] = vals[j];
                    j--;
                }
                keys[j + 1] = k;
                vals[j + 1] = x;
            }
            return;
        }
        boolean sorted = true;
        for (int i = lo + 1; i < hi && sorted; i++) {
            sorted = keys[i - 1] <= keys[i];
        }
        if (sorted) {
            return;
        }
        long[] packed = new long[len];
        for (int i = 0; i < len; i++) {
            packed[i] = ((long) keys[lo + i] << 32) | i;
        }
        Arrays.sort(packed);
        double[] tmp = Arrays.copyOfRange(vals, lo, hi);
        for (int i = 0; i < len; i++) {
            keys[lo + i] = (int) (packed[i] >>> 32);
            vals[lo + i] = tmp[(int) packed[i]];
        }
    }
}
