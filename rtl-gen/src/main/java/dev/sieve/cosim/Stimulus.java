package dev.sieve.cosim;

/**
 * The value of one input port (at most 64 bits) at cycle {@code cycle} (0 = first cycle after reset).
 * Must be a pure function of the cycle: a failing run is replayed from cycle 0 to write its waveform.
 * Bits above the port's width are dropped.
 */
@FunctionalInterface
public interface Stimulus {
    long valueAt(long cycle);

    static Stimulus constant(long value) {
        return cycle -> value;
    }
}
