package dev.sieve.dataflow.sat;

import dev.sieve.arch.NmPattern;

/**
 * One pass of one layer as a weight-stationary matrix product {@code O[co][p] = sum_k S[co][k] * V[k][p]}:
 * {@code reduction} K, {@code outputs} Cout (array columns), {@code vectors} P (streamed). S is the
 * stationary operand, pruned with {@code pattern} along K (dense for the weight gradient).
 *
 * <p>The element counts are the distinct values that must come from or go to DRAM: convolutions
 * stream an im2col view of a tensor that the buffer holds once, so {@code streamedElements} is the raw
 * tensor, not {@code K * P}. A tile's share of an operand's traffic is proportional to the part of the
 * logical matrix it covers.
 *
 * @param transposable       the mapping may swap the stationary and streamed operands (dense passes only)
 * @param outputAtAccumulator outputs leave at accumulator width (weight gradients for the optimizer);
 *                           otherwise at operand width (activations and data gradients for the next pass)
 */
public record PassGemm(String layer, int layerIndex, Pass pass, long reduction, long outputs, long vectors,
                       NmPattern pattern, long stationaryElements, long streamedElements, long outputElements,
                       boolean transposable, boolean outputAtAccumulator) {

    public PassGemm {
        if (reduction <= 0 || outputs <= 0 || vectors <= 0) {
            throw new IllegalArgumentException(layer + " " + pass.label() + ": dimensions must be positive, got K="
                    + reduction + " Cout=" + outputs + " P=" + vectors);
        }
        if (transposable && !pattern.isDense()) {
            throw new IllegalArgumentException("only dense passes may swap operands");
        }
    }

    /** Dense-equivalent multiply-accumulates {@code K * Cout * P}. */
    public long macs() {
        return reduction * outputs * vectors;
    }

    /** Multiplications with a kept weight: {@code macs * N/M} (what the array actually performs). */
    public long effectiveMacs() {
        return pattern.isDense() ? macs() : Math.round(macs() * pattern.density());
    }

    /** The same product with stationary and streamed operands swapped ({@code O^T = V^T * S^T}). */
    public PassGemm transposed() {
        if (!transposable) {
            throw new IllegalStateException(layer + " " + pass.label() + " cannot be transposed: its stationary operand is N:M");
        }
        return new PassGemm(layer, layerIndex, pass, reduction, vectors, outputs, pattern, streamedElements,
                stationaryElements, outputElements, true, outputAtAccumulator);
    }
}
