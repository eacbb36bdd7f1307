package dev.sieve.cosim;

import java.math.BigInteger;

/** Conversions between unsigned port values, 64-bit words and hex text. */
final class Bits {
    private Bits() {}

    static long mask(int width) {
        return width >= 64 ? -1L : (1L << width) - 1L;
    }

    static BigInteger unsigned(long value) {
        BigInteger v = BigInteger.valueOf(value & Long.MAX_VALUE);
        return value < 0 ? v.setBit(63) : v;
    }

    /** Splits a non-negative value into {@code words} little-endian 64-bit words, cut to {@code width} bits. */
    static long[] toWords(BigInteger value, int width, int words) {
        long[] out = new long[words];
        for (int i = 0; i < words; i++) {
            out[i] = value.shiftRight(64 * i).longValue();
        }
        int topBits = width - 64 * (words - 1);
        out[words - 1] &= mask(topBits);
        return out;
    }

    static BigInteger fromWords(long[] words, int offset, int count) {
        BigInteger v = BigInteger.ZERO;
        for (int i = count - 1; i >= 0; i--) {
            v = v.shiftLeft(64).or(unsigned(words[offset + i]));
        }
        return v;
    }

    /** Checks that {@code value} is a non-negative number of at most {@code width} bits. */
    static void checkFits(Port port, BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > port.width()) {
            throw new IllegalArgumentException("value 0x" + value.toString(16) + " does not fit " + port
                    + " (unsigned, at most " + port.width() + " bits)");
        }
    }

    static void checkFits(Port port, long value) {
        if (port.width() < 64 && (value >>> port.width()) != 0) {
            throw new IllegalArgumentException("value 0x" + Long.toHexString(value) + " does not fit " + port
                    + " (unsigned, at most " + port.width() + " bits)");
        }
    }

    /** Hex with a 0x prefix, zero-padded to the port width. */
    static String hex(BigInteger value, int width) {
        String digits = value.toString(16);
        int want = (width + 3) / 4;
        StringBuilder sb = new StringBuilder("0x");
        for (int i = digits.length(); i < want; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }
}
