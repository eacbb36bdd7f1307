package dev.sieve.driver;

import dev.sieve.arch.fp.Fp32Ops;

/**
 * Host-to-device conversion of FP32 values to BF16, in bulk: a subnormal input is flushed to a zero of
 * its sign first (the datapath reads subnormals as zero), then the value is rounded to nearest, ties to
 * even, to 8 significand bits (overflow gives infinity); every NaN becomes the canonical quiet NaN.
 * Results are kept as FP32 values whose low 16 bits are zero, so they are exactly the BF16 values.
 */
public final class Bf16Rounding {
    private Bf16Rounding() {
    }

    /** The FP32 bit pattern of {@code x} rounded to BF16 (low 16 bits zero). */
    public static int roundBits(float x) {
        return roundRawBits(Float.floatToRawIntBits(x));
    }

    /** {@link #roundBits} on raw FP32 bits, branch-free (the bulk loops stay straight-line). */
    static int roundRawBits(int bits) {
        int r = (bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF_0000;
        int subnormal = ((bits & 0x7F80_0000) - 1) >> 31; // all ones when the exponent field is 0
        r = (r & ~subnormal) | (bits & 0x8000_0000 & subnormal);
        int nan = (0x7F80_0000 - (bits & 0x7FFF_FFFF)) >> 31; // all ones for a NaN
        return (r & ~nan) | (Fp32Ops.NAN & nan);
    }

    /** {@code x} rounded to BF16. */
    public static float round(float x) {
        return Float.intBitsToFloat(roundBits(x));
    }

    /**
     * Rounds {@code len} values of {@code src} into {@code dst} and returns, packed, the largest
     * rounded magnitude's bits (high word) and the smallest nonzero rounded magnitude's bits minus 1
     * (low word; 0x7FFFFFFF when every value is zero), in one pass.
     */
    public static long roundAndScan(float[] src, float[] dst, int len) {
        if (VECTOR) {
            return VectorBf16.roundAndScan(src, dst, len);
        }
        return roundAndScanScalar(src, dst, len);
    }

    private static final boolean VECTOR = GemmKernel.vectorAvailable();

    /** {@link #roundAndScan} in plain loops (the path without the Vector API module). */
    static long roundAndScanScalar(float[] src, float[] dst, int len) {
        int min = 0x7FFF_FFFF;
        int max = 0;
        for (int i = 0; i < len; i++) {
            int r = roundRawBits(Float.floatToRawIntBits(src[i]));
            dst[i] = Float.intBitsToFloat(r);
            int mag = r & 0x7FFF_FFFF;
            min = Math.min(min, (mag - 1) & 0x7FFF_FFFF);
            max = Math.max(max, mag);
        }
        return (long) max << 32 | (min & 0xFFFF_FFFFL);
    }

    /** Rounds {@code len} values of {@code src} from {@code from} into {@code dst} at {@code to}. */
    public static void round(float[] src, int from, float[] dst, int to, int len) {
        for (int i = 0; i < len; i++) {
            dst[to + i] = Float.intBitsToFloat(roundBits(src[from + i]));
        }
    }

    /** The BF16 bits (low 16 bits of the result) of a value already rounded to BF16. */
    public static int bits(float bf16Value) {
        return Float.floatToRawIntBits(bf16Value) >>> 16;
    }
}
