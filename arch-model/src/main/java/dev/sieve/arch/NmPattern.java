package dev.sieve.arch;

/**
 * An N:M structured-sparsity pattern: in every group of {@code m} consecutive weights along the
 * reduction dimension at most {@code n} are nonzero, stored as {@code n} values plus {@code n}
 * indices of {@code log2(m)} bits. Dense is {@code m:m}.
 */
public record NmPattern(int n, int m) {

    /** The dense pattern (every weight kept), written {@code dense} or {@code 1:1}. */
    public static final NmPattern DENSE = new NmPattern(1, 1);

    public NmPattern {
        if (m < 1 || m > 64 || Integer.bitCount(m) != 1) {
            throw new IllegalArgumentException("N:M group size M = " + m + " is not allowed; allowed 1, 2, 4, 8, 16, 32, 64");
        }
        if (n < 1 || n > m) {
            throw new IllegalArgumentException("N:M kept count N = " + n + " is not allowed for M = " + m
                    + "; allowed 1 .. " + m);
        }
    }

    /** Parses {@code N:M} (for example {@code 2:4}) or {@code dense}. */
    public static NmPattern parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("dense")) {
            return DENSE;
        }
        int colon = t.indexOf(':');
        if (colon <= 0 || !t.substring(0, colon).matches("[0-9]{1,3}") || !t.substring(colon + 1).matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException("N:M pattern '" + text + "' is malformed; write N:M (for example 2:4) or dense");
        }
        NmPattern p = new NmPattern(Integer.parseInt(t.substring(0, colon)), Integer.parseInt(t.substring(colon + 1)));
        return p.isDense() ? DENSE : p;
    }

    public boolean isDense() {
        return n == m;
    }

    /** Fraction of weights kept, N/M. */
    public double density() {
        return (double) n / m;
    }

    /** Bits of one index within a group, log2(M) (0 for dense). */
    public int indexBits() {
        return Integer.numberOfTrailingZeros(m);
    }

    /**
     * Ideal training-step speedup over dense when the forward and data-gradient passes run N:M
     * sparse and the weight-gradient pass stays dense, with equal work in the three passes:
     * {@code 3 / (2N/M + 1)} (SAT, Fang et al., TCAD 2023): 2:4 gives 1.5, 2:8 gives 2.0.
     */
    public double idealTrainingSpeedup() {
        return 3.0 / (2.0 * density() + 1.0);
    }

    @Override
    public String toString() {
        return isDense() ? "dense" : n + ":" + m;
    }
}
