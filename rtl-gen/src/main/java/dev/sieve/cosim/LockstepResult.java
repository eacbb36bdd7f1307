package dev.sieve.cosim;

import java.util.Optional;

/**
 * Outcome of a {@link Lockstep} run: how many cycles were compared, how long the comparison took
 * (excluding the waveform replay), and the first mismatch if any.
 */
public record LockstepResult(String top, long cycles, long nanos, Optional<Mismatch> mismatch) {

    public boolean passed() {
        return mismatch.isEmpty();
    }

    /** Compared cycles per second of wall time. */
    public double cyclesPerSecond() {
        return nanos == 0 ? 0 : cycles * 1e9 / nanos;
    }
}
