package dev.sieve.driver.bdwp;

import dev.sieve.arch.NmPattern;

/**
 * Which layers train N:M. A layer runs the requested pattern only when every group of M is whole and
 * lies along the stated axis: its input channels divide by M (forward groups are M input channels at
 * one filter tap, so the reduction {@code Fh*Fw*C} divides too) and its output channels divide by M
 * (backward groups). Otherwise the layer stays dense and the reason is reported. For Sieve's models
 * that keeps the first convolution (1 input channel) and the last linear layer (10 outputs) dense,
 * the usual choice in N:M training papers.
 */
public final class BdwpPolicy {
    private BdwpPolicy() {
    }

    /** The decision for one layer. */
    public record Decision(NmPattern pattern, String reason) {
        public boolean dense() {
            return pattern.isDense();
        }
    }

    public static Decision decide(NmPattern requested, int inputChannels, int outputChannels) {
        if (requested.isDense()) {
            return new Decision(NmPattern.DENSE, "dense run");
        }
        int m = requested.m();
        if (inputChannels % m != 0) {
            return new Decision(NmPattern.DENSE, "input channels " + inputChannels + " not a multiple of M=" + m);
        }
        if (outputChannels % m != 0) {
            return new Decision(NmPattern.DENSE, "output channels " + outputChannels + " not a multiple of M=" + m);
        }
        return new Decision(requested, requested + " (forward along input channels, backward along output channels)");
    }
}
