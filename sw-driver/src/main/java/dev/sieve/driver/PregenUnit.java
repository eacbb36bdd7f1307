package dev.sieve.driver;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.NmAxis;

/** The functional part of weight pre-generation, shared by the backends. */
final class PregenUnit {
    private PregenUnit() {
    }

    /**
     * Where pre-generation of the {@code f}×{@code k} weights in {@code w} writes: {@code into} when it has that
     * shape, pattern and mask source (reused step after step), else fresh buffers on {@code d}.
     */
    static NmWeights target(Device d, String label, DeviceBuffer w, int f, int k, NmPattern p,
                            BackwardMaskSource source, NmWeights into) {
        int len = f * k;
        if (w.size() < len) {
            throw new IllegalArgumentException(label + ": weight buffer of " + w.size() + " words is smaller than "
                    + f + "x" + k);
        }
        return into != null && into.rows() == f && into.cols() == k && into.pattern().equals(p)
                && into.source() == source ? into
                : new NmWeights(f, k, p, source, d.alloc(label + ".fwd", len), new boolean[len],
                d.alloc(label + ".bwd", len), new boolean[len]);
    }

    static NmWeights generate(Device d, String label, DeviceBuffer w, int f, int k, NmPattern p,
                              BackwardMaskSource source, boolean bf16, NmWeights into) {
        int len = f * k;
        NmWeights out = target(d, label, w, f, k, p, source, into);
        float[] fwd = out.forward().host();
        float[] bwd = out.backward().host();
        if (bf16) {
            Bf16Rounding.round(w.host(), 0, fwd, 0, len);
        } else {
            System.arraycopy(w.host(), 0, fwd, 0, len);
        }
        if (p.isDense()) {
            System.arraycopy(fwd, 0, bwd, 0, len);
            java.util.Arrays.fill(out.forwardKeep(), true);
            java.util.Arrays.fill(out.backwardKeep(), true);
            return out;
        }
        // the backward mask reads the dense values (copied before the forward mask zeroes entries) or the forward-pruned ones
        System.arraycopy(fwd, 0, bwd, 0, len);
        NmMasks.keep(fwd, f, k, p, NmAxis.INPUT_CHANNELS, out.forwardKeep());
        NmMasks.apply(fwd, out.forwardKeep(), fwd, len);
        float[] base = source == BackwardMaskSource.DENSE ? bwd : fwd;
        NmMasks.keep(base, f, k, p, NmAxis.OUTPUT_CHANNELS, out.backwardKeep());
        NmMasks.apply(base, out.backwardKeep(), bwd, len);
        return out;
    }
}
