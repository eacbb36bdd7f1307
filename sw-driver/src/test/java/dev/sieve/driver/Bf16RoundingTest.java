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
}
