package dev.sieve.dataflow.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.dataflow.workload.Layer;

/**
 * Pre-generation of N:M sparse weights (SAT): after each weight update, build the compressed forward
 * weights (N:M along input channels) and backward weights (W^T, N:M along output channels) once, so
 * neither pass prunes on its critical path. {@link #generate} does it on real arrays;
 * {@link #cost} counts what it costs per weight update.
 */
public final class Pregeneration {

    private Pregeneration() {
    }

    /** Both compressed copies of one layer's weights. */
    public record Weights(NmCompressed forward, NmCompressed backward) {
    }

    /** Work and traffic of one pre-generation of one layer (once per weight update). */
    public record Cost(String layer, int layerIndex, long forwardGroups, long backwardGroups, long dramReadBytes,
                       long dramWriteBytes) {
        public long groups() {
            return forwardGroups + backwardGroups;
        }
    }

    /** Compresses {@code w} ({@code F x K}) both ways; the backward mask comes from {@code source}. */
    public static Weights generate(float[][] w, NmPattern p, BackwardMaskSource source) {
        NmCompressed fwd = NmCompressor.compress(w, p, NmAxis.INPUT_CHANNELS);
        float[][] base = source == BackwardMaskSource.DENSE ? w : NmCompressor.decompress(fwd);
        NmCompressed bwd = NmCompressor.compress(base, p, NmAxis.OUTPUT_CHANNELS);
        return new Weights(fwd, bwd);
    }

    /**
     * The cost of pre-generating {@code layer} with {@code p}: write both compressed copies, and read
     * the dense weights unless the unit is {@code fusedWithUpdate} (it then sits on the weight update's
     * write stream, which carries W anyway; the update itself is common to dense and sparse training
     * and is not counted for either). Dense layers cost nothing.
     */
    public static Cost cost(Layer layer, int index, NmPattern p, NumberFormat format, boolean fusedWithUpdate) {
        if (p.isDense()) {
            return new Cost(layer.name(), index, 0, 0, 0, 0);
        }
        long f = layer.outputs();
        long k = layer.reduction();
        int vb = format.operandBytes();
        long fwdGroups = NmCompressed.groups(f, k, p, NmAxis.INPUT_CHANNELS);
        long bwdGroups = NmCompressed.groups(f, k, p, NmAxis.OUTPUT_CHANNELS);
        long write = NmCompressed.bytes(f, k, p, NmAxis.INPUT_CHANNELS, vb)
                + NmCompressed.bytes(f, k, p, NmAxis.OUTPUT_CHANNELS, vb);
        return new Cost(layer.name(), index, fwdGroups, bwdGroups, fusedWithUpdate ? 0 : f * k * vb, write);
    }
}
