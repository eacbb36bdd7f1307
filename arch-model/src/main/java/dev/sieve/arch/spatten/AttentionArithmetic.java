package dev.sieve.arch.spatten;

/**
 * The accelerator's attention arithmetic in its 12-bit fixed point, defined once for the functional
 * path ({@code dev.sieve.sim.spatten.FixedPointAttention}), the attention pipeline's RTL generator
 * and its golden model ({@code dev.sieve.hdl.spatten}). Every step is cheap in hardware: integer
 * multiply-adds, a shift, a 1024-entry ROM for the exponential, one division per probability (a
 * pipelined restoring divider) and one multiply for the refetch decision.
 *
 * <ul>
 *   <li>Q, K, V and outputs: 12-bit two's complement, {@value #FRACTION_BITS} fraction bits.</li>
 *   <li>Score {@code s = Σ_d q_d k_d}, exact; logit {@code t = s >> logitShift(D)} (arithmetic shift,
 *       {@code logitShift(D) = 10 + floor(log2(D) / 2)}: 6 fraction bits, scaled by 1/√D).</li>
 *   <li>{@code e_j = EXP[min(max_t - t_j, 1023)]}, {@code EXP[x] = round(4095 · exp(-x / 64))}.</li>
 *   <li>{@code p_j = min(4095, floor(4096 · e_j / Σ e))}: 12-bit probabilities, 12 fraction bits.</li>
 *   <li>Output {@code o_d = clamp12((Σ_j p_j v_jd) >> 12)}.</li>
 *   <li>Progressive quantization: the first pass clears the low {@code lsb} bits of Q and K; a query
 *       whose largest probability is below {@code tau · 4096} refetches (see {@link #refetch}).</li>
 * </ul>
 */
public final class AttentionArithmetic {
    public static final int WORD_BITS = 12;
    public static final int FRACTION_BITS = 8;
    /** Probability 1.0 in the probabilities' fixed point. */
    public static final int PROB_ONE = 4096;
    /** Largest probability a 12-bit probability holds. */
    public static final int PROB_MAX = PROB_ONE - 1;
    /** Entries of the exponential table; larger gaps use the last entry. */
    public static final int EXP_ENTRIES = 1024;
    /** Bits a probability is shifted right after prob·V. */
    public static final int OUTPUT_SHIFT = 12;

    private static final int[] EXP = new int[EXP_ENTRIES];

    static {
        for (int x = 0; x < EXP.length; x++) {
            EXP[x] = (int) StrictMath.round(4095 * StrictMath.exp(-x / 64.0));
        }
    }

    private AttentionArithmetic() {
    }

    /** {@code EXP[min(gap, 1023)]} for a gap {@code max_t - t_j >= 0}. */
    public static int exp(long gap) {
        if (gap < 0) {
            throw new IllegalArgumentException("gap = " + gap + " is negative; the gap is max - logit");
        }
        return EXP[(int) Math.min(gap, EXP_ENTRIES - 1)];
    }

    /** The exponential table, a copy ({@code EXP[0] = 4095}, the last nonzero entry is 577). */
    public static int[] expTable() {
        return EXP.clone();
    }

    /** Right shift from score to logit for head dimension {@code d}: {@code 10 + floor(log2(d) / 2)}. */
    public static int logitShift(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("head dimension = " + d + "; allowed >= 1");
        }
        return 10 + (31 - Integer.numberOfLeadingZeros(d)) / 2;
    }

    /** {@code x} with its low {@code lsb} bits cleared: {@code (x >> lsb) << lsb}. */
    public static int dropLsb(int x, int lsb) {
        return (x >> lsb) << lsb;
    }

    /** {@code min(4095, floor(4096 · e / sum))} for {@code 0 <= e <= sum}, {@code sum > 0}. */
    public static int prob(int e, long sum) {
        return (int) Math.min(PROB_MAX, (long) e * PROB_ONE / sum);
    }

    /**
     * The integer form of a refetch threshold {@code tau}: the smallest {@code T} with
     * {@code maxProb < tau · 4096 ⟺ maxProb < T} for every integer probability, that is
     * {@code ceil(tau · 4096)} held to {@code 0 .. 4096} (0: never refetch).
     */
    public static int refetchThreshold(double tau) {
        if (!(tau > 0)) {
            return 0;
        }
        return (int) Math.min(PROB_ONE, Math.ceil(tau * PROB_ONE));
    }

    /**
     * Whether a query whose exponentials add up to {@code sum} refetches at threshold {@code t}: its
     * largest probability, {@code prob(4095, sum)} (the largest logit has gap 0), is below {@code t}.
     * Without dividing: {@code t > 4095 || 4096 · 4095 < t · sum}.
     */
    public static boolean refetch(long sum, int t) {
        return t > PROB_MAX || (long) PROB_ONE * PROB_MAX < (long) t * sum;
    }

    /** {@code x} saturated to a 12-bit two's complement word. */
    public static int clamp(long x) {
        return (int) Math.max(-(1 << (WORD_BITS - 1)), Math.min((1 << (WORD_BITS - 1)) - 1, x));
    }

    /** Output element from its prob·V sum: {@code clamp12(acc >> 12)}. */
    public static int output(long acc) {
        return clamp(acc >> OUTPUT_SHIFT);
    }
}
