package dev.sieve.cosim;

import java.math.BigInteger;

/**
 * The value of one input port of any width at cycle {@code cycle}; a non-negative number that fits
 * the port. Must be a pure function of the cycle, like {@link Stimulus}.
 */
@FunctionalInterface
public interface WideStimulus {
    BigInteger valueAt(long cycle);
}
