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
        int bits = Float.floatToRawIntBits(x);
        int exp = bits & 0x7F80_0000;
        int r = (bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF_0000;
        r = exp == 0 ? bits & 0x8000_0000 : r;
        return exp == 0x7F80_0000 && (bits & 0x007F_FFFF) != 0 ? Fp32Ops.NAN : r;
    }

    /** {@code x} rounded to BF16. */
    public static float round(float x) {
        return Float.intBitsToFloat(roundBits(x));
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
