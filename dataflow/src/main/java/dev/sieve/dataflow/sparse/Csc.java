package dev.sieve.dataflow.sparse;

/**
 * Compressed sparse columns: column {@code j} holds rows {@code rowIdx[colPtr[j] .. colPtr[j+1])},
 * strictly increasing, with their values. Stored as the compressed rows of the transpose.
 */
public final class Csc {
    private final Csr transposed;

    private Csc(Csr transposed) {
        this.transposed = transposed;
    }

    /** The matrix whose transpose is {@code t} (no copy). */
    static Csc ofTranspose(Csr t) {
        return new Csc(t);
    }

    public int rows() {
        return transposed.cols();
    }

    public int cols() {
        return transposed.rows();
    }

    public int nnz() {
        return transposed.nnz();
    }

    public int[] colPtr() {
        return transposed.rowPtr();
    }

    public int[] rowIdx() {
        return transposed.colIdx();
    }

    public double[] values() {
        return transposed.values();
    }

    public int colLength(int j) {
        return transposed.rowLength(j);
    }

    /** The same matrix in compressed rows. */
    public Csr toCsr() {
        return transposed.transpose();
    }

    @Override
    public String toString() {
        return "Csc[" + rows() + "x" + cols() + ", nnz=" + nnz() + "]";
    }
}
