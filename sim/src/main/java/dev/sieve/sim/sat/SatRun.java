package dev.sieve.sim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;

/**
 * What to simulate on a topology.
 *
 * @param batch    images per step (P = output pixels x batch)
 * @param pattern  the N:M pattern of every layer without its own {@code Sparsity} value; a dense run is
 *                 the baseline and ignores {@code Sparsity} values
 * @param training a whole training step (forward, data gradient, weight gradient, pre-generation);
 *                 false: the forward pass only
 * @param backwardMask where W^T's mask comes from (does not change cycles; recorded for reports)
 */
public record SatRun(int batch, NmPattern pattern, boolean training, BackwardMaskSource backwardMask) {

    public SatRun {
        if (batch < 1 || batch > 1 << 20) {
            throw new IllegalArgumentException("batch = " + batch + " is out of range; allowed 1 .. " + (1 << 20));
        }
    }

    public static SatRun training(NmPattern p) {
        return new SatRun(1, p, true, BackwardMaskSource.DENSE);
    }

    public SatRun withPattern(NmPattern p) {
        return new SatRun(batch, p, training, backwardMask);
    }

    /** The same run with every layer dense (the baseline). */
    public SatRun dense() {
        return withPattern(NmPattern.DENSE);
    }

    /** The ideal speedup over dense for {@code pattern}: 3/(2N/M + 1) for training, M/N for forward only. */
    public double idealSpeedup() {
        return training ? pattern.idealTrainingSpeedup() : 1.0 / pattern.density();
    }
}
