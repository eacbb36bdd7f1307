package dev.sieve.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sieve.arch.fp.Fp32Ops;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class Bf16RoundingTest {
    @Test
    void roundsToNearestWithTiesToEven() {
        assertEquals(0x3F80_0000, Bf16Rounding.roundBits(Float.intBitsToFloat(0x3F80_7FFF)), "below half rounds down");
        assertEquals(0x3F81_0000, Bf16Rounding.roundBits(Float.intBitsToFloat(0x3F80_8001)), "above half rounds up");
        assertEquals(0x3F80_0000, Bf16Rounding.roundBits(Float.intBitsToFloat(0x3F80_8000)), "tie to even (down)");
        assertEquals(0x3F82_0000, Bf16Rounding.roundBits(Float.intBitsToFloat(0x3F81_8000)), "tie to even (up)");
    }

    @Test
    void flushesSubnormalsToASignedZero() {
        assertEquals(0x8000_0000, Bf16Rounding.roundBits(-Float.MIN_VALUE));
        assertEquals(0, Bf16Rounding.roundBits(Float.intBitsToFloat(0x007F_FFFF)));
    }

    @Test
    void overflowsToInfinityAndCanonicalizesNaN() {
        assertEquals(0x7F80_0000, Bf16Rounding.roundBits(Float.MAX_VALUE));
        assertEquals(Fp32Ops.NAN, Bf16Rounding.roundBits(Float.intBitsToFloat(0xFFC0_1234)));
        assertEquals(0xFF80_0000, Bf16Rounding.roundBits(Float.NEGATIVE_INFINITY));
    }

    @Property(tries = 3000)
    void theBranchFreeBulkRoundingEqualsTheRuleCaseByCase(@ForAll int bits) {
        float x = Float.intBitsToFloat(bits);
        int expected;
        if ((bits & 0x7F80_0000) == 0) {
            expected = bits & 0x8000_0000;
        } else if (Float.isNaN(x)) {
            expected = Fp32Ops.NAN;
        } else {
            int lower = bits & 0xFFFF_0000;
            int rest = bits & 0xFFFF;
            boolean up = rest > 0x8000 || (rest == 0x8000 && (lower & 0x1_0000) != 0);
            expected = up ? lower + 0x1_0000 : lower;
        }
        assertEquals(expected, Bf16Rounding.roundBits(x));
        float[] out = new float[1];
        Bf16Rounding.roundAndScan(new float[] {x}, out, 1);
        assertEquals(expected, Float.floatToRawIntBits(out[0]));
    }

    /** The Vector API bulk path equals the plain loop on every value and on the extremes it scans. */
    @Test
    void theVectorBulkRoundingEqualsThePlainLoop() {
        org.junit.jupiter.api.Assertions.assertTrue(GemmKernel.vectorAvailable(), "the test JVM loads jdk.incubator.vector");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        int[] special = {0, 0x8000_0000, 0x0000_0001, 0x807F_FFFF, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFF80_0001,
            0x7F7F_FFFF, 0x3F80_8000, 0x3F81_8000, 0x0080_0000, 0x0080_8000};
        for (int len : new int[] {0, 1, 15, 16, 17, 1000, 4099}) {
            for (int variant = 0; variant < 3; variant++) {
                float[] src = new float[len];
                for (int i = 0; i < len; i++) {
                    int bits = variant == 0 ? rng.nextInt() : variant == 1 ? special[rng.nextInt(special.length)]
                            : Float.floatToRawIntBits((float) rng.nextGaussian());
                    src[i] = Float.intBitsToFloat(bits);
                }
                if (variant == 2 && len > 0) {
                    src[len / 2] = 0f; // extremes over zeros and one tiny value
                }
                float[] v = new float[len];
                float[] p = new float[len];
                long sv = VectorBf16.roundAndScan(src, v, len);
                long sp = Bf16Rounding.roundAndScanScalar(src, p, len);
                assertEquals(sp, sv, "scan of " + len + " values, variant " + variant);
                for (int i = 0; i < len; i++) {
                    assertEquals(Float.floatToRawIntBits(p[i]), Float.floatToRawIntBits(v[i]), "value " + i);
                }
            }
        }
    }
}
