package dev.sieve.driver;

/**
 * A logical {@code rows x cols} matrix view of a device buffer: row-major, or (when {@code transposed})
 * stored as its transpose, {@code cols x rows} row-major.
 */
public record Matrix(DeviceBuffer buffer, int rows, int cols, boolean transposed) {

    public Matrix {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("matrix " + buffer.label() + ": shape " + rows + "x" + cols
                    + " is not allowed; allowed: both >= 1");
        }
        if ((long) rows * cols > buffer.size()) {
            throw new IllegalArgumentException("matrix " + buffer.label() + ": " + rows + "x" + cols
                    + " does not fit in a buffer of " + buffer.size() + " words");
        }
    }

    public static Matrix of(DeviceBuffer b, int rows, int cols) {
        return new Matrix(b, rows, cols, false);
    }

    /** The same storage read as the transpose. */
    public Matrix t() {
        return new Matrix(buffer, cols, rows, !transposed);
    }

    /** Element (r, c) of the logical matrix. */
    public float get(int r, int c) {
        return transposed ? buffer.host()[c * rows + r] : buffer.host()[r * cols + c];
    }

    /** Stride between logical rows and between logical columns in the buffer. */
    int rowStride() {
        return transposed ? 1 : cols;
    }

    int colStride() {
        return transposed ? rows : 1;
    }
}
