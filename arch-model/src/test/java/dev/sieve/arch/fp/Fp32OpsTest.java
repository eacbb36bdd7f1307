package dev.sieve.arch.fp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sieve's FP semantics against an independent oracle: Java's {@code float} arithmetic, which rounds
 * to nearest even, with subnormal inputs and results flushed to signed zero and NaNs made canonical.
 */
class Fp32OpsTest {

    private static int oracleAdd(int x, int y) {
        float r = Float.intBitsToFloat(Fp32Ops.flush(x)) + Float.intBitsToFloat(Fp32Ops.flush(y));
        return settle(Float.floatToRawIntBits(r));
    }

    private static int oracleMul(int a, int b) {
        float r = Float.intBitsToFloat(Fp32Ops.flush(Bf16.toFp32(a))) * Float.intBitsToFloat(Fp32Ops.flush(Bf16.toFp32(b)));
        return settle(Float.floatToRawIntBits(r));
    }

    /** A subnormal float result is flushed to signed zero; a NaN becomes the canonical one. */
    private static int settle(int bits) {
        return Float.isNaN(Float.intBitsToFloat(bits)) ? Fp32Ops.NAN : Fp32Ops.flush(bits);
    }

    /** Random FP32 bits biased towards the hard cases: close exponents, specials, carries. */
    static int interesting(SplittableRandom rnd, int other) {
        return switch (rnd.nextInt(10)) {
            case 0 -> new int[] {0, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0x7F80_0001, 0x0000_0001,
                    0x807F_FFFF, 0x7F7F_FFFF, 0xFF7F_FFFF, 0x0080_0000, 0x8080_0000}[rnd.nextInt(12)];
            case 1 -> other ^ 0x8000_0000; // exact cancellation
            case 2 -> (other ^ 0x8000_0000) + rnd.nextInt(-3, 4); // near cancellation
            case 3 -> (other & 0xFF80_0000) | (rnd.nextInt() & 0x7F_FFFF) ^ (rnd.nextBoolean() ? 0x8000_0000 : 0);
            case 4 -> other + (rnd.nextInt(-30, 30) << 23); // exponent difference around the cut-offs
            case 5 -> (rnd.nextInt(1, 4) << 23) | (rnd.nextInt() & 0x807F_FFFF); // near underflow
            case 6 -> (rnd.nextInt(0xFC, 0xFF) << 23) | (rnd.nextInt() & 0x807F_FFFF); // near overflow
            default -> rnd.nextInt();
        };
    }

    @Test
    void addEqualsJavaFloatAdditionOnRandomAndEdgeOperands() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 3_000_000; i++) {
            int x = rnd.nextInt();
            int y = interesting(rnd, x);
            if (rnd.nextBoolean()) {
                int t = x;
                x = y;
                y = t;
            }
            int expected = oracleAdd(x, y);
            int actual = Fp32Ops.add(x, y);
            if (expected != actual) {
                assertEquals(Integer.toHexString(expected), Integer.toHexString(actual),
                        Integer.toHexString(x) + " + " + Integer.toHexString(y));
            }
        }
    }

    @Test
    void bf16ProductEqualsJavaFloatProductForEveryPairOfASample() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int a = 0; a < 0x10000; a++) {
            for (int k = 0; k < 24; k++) {
                int b = rnd.nextInt(0x10000);
                int expected = oracleMul(a, b);
                int actual = Fp32Ops.mulBf16(a, b);
                if (expected != actual) {
                    assertEquals(Integer.toHexString(expected), Integer.toHexString(actual),
                            Integer.toHexString(a) + " * " + Integer.toHexString(b));
                }
            }
        }
    }

    @Test
    void specialValuesFollowIeee() {
        int inf = Fp32Ops.POS_INF;
        int negInf = 0xFF80_0000;
        assertEquals(Fp32Ops.NAN, Fp32Ops.add(inf, negInf), "Inf - Inf");
        assertEquals(inf, Fp32Ops.add(inf, 0x3F80_0000), "Inf + 1");
        assertEquals(Fp32Ops.NAN, Fp32Ops.mulBf16(0x7F80, 0x0000), "Inf x 0");
        assertEquals(Fp32Ops.NAN, Fp32Ops.mulBf16(0x0001, 0xFF80), "subnormal reads as 0, so 0 x -Inf");
        assertEquals(Fp32Ops.NAN, Fp32Ops.add(0x7FA0_0001, 0), "any NaN comes out canonical");
        assertEquals(0, Fp32Ops.add(0x3F80_0000, 0xBF80_0000), "x - x = +0");
        assertEquals(0x8000_0000, Fp32Ops.add(0x8000_0000, 0x8000_0000), "-0 + -0 = -0");
        assertEquals(0, Fp32Ops.add(0x8000_0000, 0), "-0 + +0 = +0");
    }

    @Test
    void subnormalResultsAreFlushedWithTheirSign() {
        // 1.5 * 2^-126 - 2^-126 = 2^-127 is subnormal: flushed to +0.
        assertEquals(0, Fp32Ops.add(0x00C0_0000, 0x8080_0000));
        // the same with the signs swapped gives -0
        assertEquals(0x8000_0000, Fp32Ops.add(0x80C0_0000, 0x0080_0000));
        // 2^-64 * 2^-64 = 2^-128 in BF16 x BF16: flushed to +0; negative operand gives -0
        assertEquals(0, Fp32Ops.mulBf16(0x1F80, 0x1F80));
        assertEquals(0x8000_0000, Fp32Ops.mulBf16(0x9F80, 0x1F80));
        // 2^-63 * 2^-63 = 2^-126 is the smallest normal: kept
        assertEquals(0x0080_0000, Fp32Ops.mulBf16(0x2000, 0x2000));
    }

    @Test
    void tiesRoundToEven() {
        // 1 + 2^-24 is halfway between 1 and 1 + 2^-23: rounds to the even 1.
        assertEquals(0x3F80_0000, Fp32Ops.add(0x3F80_0000, 0x3380_0000));
        // (1 + 2^-23) + 2^-24 is halfway between 1 + 2^-23 and 1 + 2^-22: rounds up to the even one.
        assertEquals(0x3F80_0002, Fp32Ops.add(0x3F80_0001, 0x3380_0000));
    }

    @Test
    void overflowGivesInfinity() {
        assertEquals(Fp32Ops.POS_INF, Fp32Ops.add(0x7F7F_FFFF, 0x7F7F_FFFF));
        assertEquals(0xFF80_0000, Fp32Ops.mulBf16(0xFF00, 0x7F00)); // -2^127 * 2^127
    }

    @Test
    void magnitudeKeyOrdersNanAboveInfinityAndFlushesSubnormals() {
        assertEquals(0x7FFF, Bf16.magnitudeKey(0xFFC1));
        assertEquals(0x7F80, Bf16.magnitudeKey(0xFF80));
        assertEquals(0, Bf16.magnitudeKey(0x8001));
        assertEquals(Bf16.magnitudeKey(0x3F80), Bf16.magnitudeKey(0xBF80));
    }
}
