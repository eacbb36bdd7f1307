package dev.sieve.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sieve.arch.fp.Fp32Ops;
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
}
