package dev.sieve.hdl;

import java.math.BigInteger;

/** Width arithmetic shared by the IR, the library and the models. */
public final class Bits {
    private Bits() {
    }

    /** Bits needed to hold the unsigned value {@code max} (at least 1). */
    public static int widthFor(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("negative value " + max);
        }
        return Math.max(1, 64 - Long.numberOfLeadingZeros(max));
    }

    /** ceil(log2(n)) for n >= 1. */
    public static int log2Ceil(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("log2 of " + n);
        }
        return n == 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    }

    /** The mask of the low {@code width} bits, for width in 1..64. */
    public static long mask(int width) {
        return width >= 64 ? -1L : (1L << width) - 1;
    }

    /** {@code 2^width - 1} as a BigInteger. */
    public static BigInteger maskBig(int width) {
        return BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
    }

    /** Sign-extends the low {@code width} bits of {@code v} to 64 bits. */
    public static long signExtend(long v, int width) {
        int shift = 64 - width;
        return (v << shift) >> shift;
    }
}
