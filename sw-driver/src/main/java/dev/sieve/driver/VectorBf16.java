package dev.sieve.driver;

import dev.sieve.arch.fp.Fp32Ops;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Bf16Rounding#roundAndScan} on the JDK's Vector API (used when {@code jdk.incubator.vector} is
 * loaded): the same branch-free rounding, lane by lane, so the results are the same bits.
 */
final class VectorBf16 {
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;

    private VectorBf16() {
    }

    static long roundAndScan(float[] src, float[] dst, int len) {
        IntVector minV = IntVector.broadcast(IS, 0x7FFF_FFFF);
        IntVector maxV = IntVector.zero(IS);
        int i = 0;
        for (int upper = IS.loopBound(len); i < upper; i += IS.length()) {
            IntVector bits = FloatVector.fromArray(FS, src, i).reinterpretAsInts();
            IntVector lsb = bits.lanewise(VectorOperators.LSHR, 16).and(1);
            IntVector r = bits.add(0x7FFF).add(lsb).and(0xFFFF_0000);
            VectorMask<Integer> subnormal = bits.and(0x7F80_0000).compare(VectorOperators.EQ, 0);
            r = r.blend(bits.and(0x8000_0000), subnormal);
            VectorMask<Integer> nan = bits.and(0x7FFF_FFFF).compare(VectorOperators.GT, 0x7F80_0000);
            r = r.blend(Fp32Ops.NAN, nan);
            r.reinterpretAsFloats().intoArray(dst, i);
            IntVector mag = r.and(0x7FFF_FFFF);
            minV = minV.min(mag.sub(1).and(0x7FFF_FFFF));
            maxV = maxV.max(mag);
        }
        int min = minV.reduceLanes(VectorOperators.MIN);
        int max = maxV.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) {
            int r = Bf16Rounding.roundRawBits(Float.floatToRawIntBits(src[i]));
            dst[i] = Float.intBitsToFloat(r);
            int mag = r & 0x7FFF_FFFF;
            min = Math.min(min, (mag - 1) & 0x7FFF_FFFF);
            max = Math.max(max, mag);
        }
        return (long) max << 32 | (min & 0xFFFF_FFFFL);
    }
}
