package dev.sieve.arch.fp;

/**
 * The arithmetic of Sieve's BF16 datapath, on raw bit patterns (FP32 values as {@code int}, BF16
 * values as the low 16 bits of an {@code int}).
 *
 * <ul>
 *   <li><b>Flush to zero.</b> A subnormal input (exponent field 0, fraction nonzero) is read as a
 *       zero of the same sign. A result whose exact value is nonzero but below 2^-126 in magnitude
 *       becomes a zero with the sign of the exact result. No subnormal is ever produced.</li>
 *   <li><b>Product.</b> {@link #mulBf16} multiplies two BF16 values into FP32. Both significands
 *       have 8 bits, so the product has at most 16 and is exact in FP32's 24; only overflow
 *       (to infinity) and underflow (to zero, as above) change the value.</li>
 *   <li><b>Sum.</b> {@link #add} adds two FP32 values, rounding the exact sum to nearest, ties to
 *       even; overflow gives infinity. An exact zero sum of two nonzero values is +0;
 *       (-0) + (-0) = -0.</li>
 *   <li><b>Special values</b> as IEEE 754: any NaN input gives NaN; Inf - Inf and 0 x Inf give NaN;
 *       every NaN produced is the canonical quiet NaN {@link #NAN} = 0x7FC00000.</li>
 * </ul>
 * Apart from the flushing and the canonical NaN, results equal Java's {@code float} arithmetic
 * (which rounds to nearest even), and that is how they are tested.
 */
public final class Fp32Ops {
    /** The canonical quiet NaN every NaN result is replaced by. */
    public static final int NAN = 0x7FC0_0000;
    /** +Infinity. */
    public static final int POS_INF = 0x7F80_0000;

    private static final int SIGN = 0x8000_0000;

    private Fp32Ops() {
    }

    /** {@code x} with a subnormal read as a zero of the same sign. */
    public static int flush(int x) {
        return (x & 0x7F80_0000) == 0 ? x & SIGN : x;
    }

    public static boolean isNaN(int x) {
        return (x & 0x7F80_0000) == 0x7F80_0000 && (x & 0x007F_FFFF) != 0;
    }

    public static boolean isInf(int x) {
        return (x & 0x7FFF_FFFF) == POS_INF;
    }

    /** True for +0, -0 and subnormals (which read as zero). */
    public static boolean isZero(int x) {
        return (x & 0x7F80_0000) == 0;
    }

    /** The exact FP32 product of two BF16 values (low 16 bits of each argument). */
    public static int mulBf16(int a, int b) {
        int ea = (a >>> 7) & 0xFF;
        int eb = (b >>> 7) & 0xFF;
        int fa = a & 0x7F;
        int fb = b & 0x7F;
        int sign = ((a ^ b) & 0x8000) << 16;
        boolean nanA = ea == 0xFF && fa != 0;
        boolean nanB = eb == 0xFF && fb != 0;
        boolean infA = ea == 0xFF && fa == 0;
        boolean infB = eb == 0xFF && fb == 0;
        boolean zeroA = ea == 0;
        boolean zeroB = eb == 0;
        if (nanA || nanB || (infA && zeroB) || (infB && zeroA)) {
            return NAN;
        }
        if (infA || infB) {
            return sign | POS_INF;
        }
        if (zeroA || zeroB) {
            return sign;
        }
        int product = (0x80 | fa) * (0x80 | fb); // in [2^14, 2^16)
        int exponent = ea + eb - 127;
        int fraction;
        if (product >= 1 << 15) {
            exponent++;
            fraction = (product & 0x7FFF) << 8;
        } else {
            fraction = (product & 0x3FFF) << 9;
        }
        if (exponent >= 0xFF) {
            return sign | POS_INF;
        }
        if (exponent <= 0) {
            return sign;
        }
        return sign | exponent << 23 | fraction;
    }

    /** {@code x + y} in FP32, rounded to nearest even, with the flushing and NaN rules above. */
    public static int add(int x, int y) {
        x = flush(x);
        y = flush(y);
        if (isNaN(x) || isNaN(y)) {
            return NAN;
        }
        if (isInf(x) || isInf(y)) {
            if (isInf(x) && isInf(y) && x != y) {
                return NAN;
            }
            return isInf(x) ? x : y;
        }
        if (isZero(x)) {
            return isZero(y) ? (x & y) : y;
        }
        if (isZero(y)) {
            return x;
        }
        // Both normal: let x be the operand of larger magnitude.
        if ((x & 0x7FFF_FFFF) < (y & 0x7FFF_FFFF)) {
            int t = x;
            x = y;
            y = t;
        }
        int sign = x & SIGN;
        int ex = (x >>> 23) & 0xFF;
        int ey = (y >>> 23) & 0xFF;
        long mx = 0x80_0000L | (x & 0x7F_FFFF);
        long my = 0x80_0000L | (y & 0x7F_FFFF);
        int d = ex - ey;
        // Integer units of 2^(ex - 150 - 27): x is exact, y is exact while d <= 27. Beyond that y is
        // below a quarter of the result's last place, so any nonzero stand-in rounds the same.
        long a = mx << 27;
        long b = d <= 27 ? (my << 27) >>> d : 1;
        long sum = ((x ^ y) & SIGN) == 0 ? a + b : a - b;
        if (sum == 0) {
            return 0;
        }
        int msb = 63 - Long.numberOfLeadingZeros(sum);
        int exponent = ex + msb - 50;
        int shift = msb - 23; // at least 4: the sum is never below 2^27 units
        long mant = sum >>> shift;
        long rest = sum & ((1L << shift) - 1);
        long half = 1L << (shift - 1);
        if (rest > half || (rest == half && (mant & 1) == 1)) {
            mant++;
            if (mant == 1L << 24) {
                mant >>>= 1;
                exponent++;
            }
        }
        if (exponent >= 0xFF) {
            return sign | POS_INF;
        }
        if (exponent <= 0) {
            return sign;
        }
        return sign | exponent << 23 | (int) (mant & 0x7F_FFFF);
    }

    /** {@code psum + a[0]*b[0] + a[1]*b[1] + ...}, added left to right: the order of one SAT PE. */
    public static int macChain(int psum, int[] a, int[] b) {
        int acc = psum;
        for (int i = 0; i < a.length; i++) {
            acc = add(acc, mulBf16(a[i], b[i]));
        }
        return acc;
    }
}
