package dev.sieve.driver;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.workload.Layer;

/**
 * An accelerator runtime: allocate buffers, copy, launch GEMMs and weight pre-generation,
 * synchronize, read counters. Every GEMM is {@code C[m][n] = sum_k A[m][k] * B[k][n]} described by a
 * {@link PassGemm} of the BDWP pass it belongs to ({@code m} = outputs, {@code k} = reduction,
 * {@code n} = vectors); A is the stationary operand (weights in the forward and data-gradient
 * passes, the output gradient in the weight-gradient pass). Launches run to completion in order on
 * one queue; {@link #synchronize()} is the barrier a caller uses before reading results.
 */
public interface Device extends AutoCloseable {

    String name();

    /** The number format this device computes GEMMs in. */
    Arithmetic arithmetic();

    default DeviceBuffer alloc(String label, int size) {
        return new DeviceBuffer(this, label, size);
    }

    /** Registers host memory as a device buffer without copying (shared memory). */
    default DeviceBuffer wrap(String label, float[] host) {
        return new DeviceBuffer(this, label, host);
    }

    /** Host to device copy of {@code src} into the start of {@code dst}. */
    default void write(DeviceBuffer dst, float[] src) {
        System.arraycopy(src, 0, dst.host(), 0, src.length);
    }

    /** Device to host copy of the start of {@code src} into {@code dst}. */
    default void read(DeviceBuffer src, float[] dst) {
        System.arraycopy(src.host(), 0, dst, 0, dst.length);
    }

    /** Launches {@code c = a * b} (c is overwritten). */
    void gemm(PassGemm pass, Operand a, Matrix b, Matrix c);

    /**
     * Launches pre-generation of {@code layer}'s weights {@code w} ({@code F x K} row-major, dense FP32
     * master copy): both operands in operand format, pruned by magnitude N:M (forward along K, backward
     * along F from {@code source}). {@code into} (may be null) is reused when its shape matches.
     */
    NmWeights pregen(Layer layer, int layerIndex, DeviceBuffer w, NmPattern pattern, BackwardMaskSource source,
                     NmWeights into);

    /** Waits until every launch so far has completed (launches here complete in order). */
    default void synchronize() {
    }

    Counters counters();

    void resetCounters();

    /** Reduction positions per tile that the device sums before adding to the output (its reduction order). */
    int reductionTile(PassGemm pass);

    @Override
    default void close() {
    }

    /** Checks that a, b and c have the shapes {@code pass} describes. */
    static void checkShapes(PassGemm pass, Operand a, Matrix b, Matrix c) {
        long m = pass.outputs();
        long k = pass.reduction();
        long n = pass.vectors();
        if (a.matrix().rows() != m || a.matrix().cols() != k || b.rows() != k || b.cols() != n || c.rows() != m
                || c.cols() != n || c.transposed()) {
            throw new IllegalArgumentException(pass.layer() + " " + pass.pass().label() + ": shapes A "
                    + a.matrix().rows() + "x" + a.matrix().cols() + ", B " + b.rows() + "x" + b.cols() + ", C "
                    + c.rows() + "x" + c.cols() + (c.transposed() ? "ᵀ" : "") + " do not match m=" + m + " k=" + k
                    + " n=" + n + " (C must be row-major)");
        }
    }
}
