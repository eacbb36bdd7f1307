package dev.sieve.arch.fp;

/**
 * BF16 values (the upper 16 bits of an FP32 value) as raw bits, and the magnitude order the N:M
 * pre-generation unit ranks them by.
 */
public final class Bf16 {
    private Bf16() {
    }

    /** The FP32 value with the same sign, exponent and fraction (exact). */
    public static int toFp32(int bf16) {
        return (bf16 & 0xFFFF) << 16;
    }

    /** The BF16 bits of {@code f} truncated toward zero (a test helper, not a rounding mode of the datapath). */
    public static int truncate(float f) {
        return Float.floatToRawIntBits(f) >>> 16;
    }

    /**
     * The magnitude key of a BF16 value, a 15-bit unsigned number whose order is the order of
     * magnitudes: zeros and subnormals are 0 (they are flushed to zero by the datapath), finite
     * values and infinity are their bits without the sign, and every NaN is 0x7FFF, above infinity
     * (so a NaN weight is always kept and shows up in the results). Equal keys tie, and ties go
     * to the lower index.
     */
    public static int magnitudeKey(int bf16) {
        int exponent = (bf16 >>> 7) & 0xFF;
        if (exponent == 0) {
            return 0;
        }
        if (exponent == 0xFF && (bf16 & 0x7F) != 0) {
            return 0x7FFF;
        }
        return bf16 & 0x7FFF;
    }
}
