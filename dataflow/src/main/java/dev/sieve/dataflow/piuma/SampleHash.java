package dev.sieve.dataflow.piuma;

/**
 * The one hash the sampled runs draw from: a well-spread number in [0, 1) for an index and a salt
 * (SplitMix64's finalizer over {@code index + 1} with the salt in the high word), so that samples are
 * deterministic, independent across salts, and nested across fractions for one salt.
 */
public final class SampleHash {
    private SampleHash() {
    }

    /** A well-spread number in [0, 1) from {@code index} and {@code salt}. */
    public static double unit(int index, int salt) {
        long z = (index + 1 + ((long) salt << 32)) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
