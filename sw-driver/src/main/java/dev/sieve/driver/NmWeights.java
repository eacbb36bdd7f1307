package dev.sieve.driver;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.NmAxis;
import dev.sieve.dataflow.sat.NmCompressed;
import dev.sieve.dataflow.sat.NmCompressor;

/**
 * The result of one weight pre-generation of a layer {@code W[F][K]}: the forward operand (N:M along
 * K, the input channels) and the backward operand (N:M along F, the output channels), each held on
 * the device as its values in operand format with pruned entries zero, plus its keep mask. A dense
 * layer has both operands equal to W (masks all kept).
 */
public record NmWeights(int rows, int cols, NmPattern pattern, BackwardMaskSource source, DeviceBuffer forward,
                        boolean[] forwardKeep, DeviceBuffer backward, boolean[] backwardKeep) {

    /** The forward operand {@code W_f} ({@code F x K}) for {@code Y = W_f * X}. */
    public Operand forwardOperand() {
        return Operand.weight(Matrix.of(forward, rows, cols), forwardKeep, pattern, NmAxis.INPUT_CHANNELS);
    }

    /** The backward operand {@code W_b^T} ({@code K x F}) for {@code dX = W_b^T * dY}. */
    public Operand backwardOperand() {
        return Operand.weight(Matrix.of(backward, rows, cols).t(), backwardKeep, pattern, NmAxis.OUTPUT_CHANNELS);
    }

    /** {@code W~^T} ({@code K x F}), the forward-pruned weights read transposed, as a dense operand (SR-STE's data gradient). */
    public Operand forwardTransposedDense() {
        return Operand.dense(Matrix.of(forward, rows, cols).t());
    }

    /** The forward weights in SAT's compressed form (values plus indices), for inspection and byte counts. */
    public NmCompressed forwardCompressed() {
        return NmCompressor.compress(toRows(forward.host()), pattern, NmAxis.INPUT_CHANNELS);
    }

    /** The backward weights in SAT's compressed form. */
    public NmCompressed backwardCompressed() {
        return NmCompressor.compress(toRows(backward.host()), pattern, NmAxis.OUTPUT_CHANNELS);
    }

    private float[][] toRows(float[] flat) {
        float[][] w = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, w[r], 0, cols);
        }
        return w;
    }
}
