package dev.sieve.hdl.sat.model;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.fp.Fp32Ops;
import dev.sieve.hdl.sat.SatDatapath;
import java.math.BigInteger;
import java.util.List;

/** The arithmetic of one SAT PE and the bus packing, shared by the SAT cycle models. */
public final class SatMath {
    private SatMath() {
    }

    /** The pattern a code selects: code i is {@code patterns.get(i)}, out-of-range codes mean code 0. */
    public static NmPattern pattern(List<NmPattern> patterns, long code) {
        return code >= 0 && code < patterns.size() ? patterns.get((int) code) : patterns.get(0);
    }

    /**
     * One PE's sum: {@code psumIn} plus the L products of weight j and the activation lane it
     * selects (lane j dense; lane (j/N)*M + (idx_j mod M) in N:M), in lane order for BF16.
     */
    public static int peSum(SatDatapath dp, NmPattern p, int[] act, int[] wVal, int[] wIdx, int psumIn) {
        int acc = psumIn;
        for (int j = 0; j < dp.multipliers(); j++) {
            int lane = p.isDense() ? j : (j / p.n()) * p.m() + (wIdx[j] & (p.m() - 1));
            int a = act[lane];
            acc = switch (dp.format()) {
                case INT8_INT32 -> acc + (byte) wVal[j] * (byte) a;
                case BF16_FP32 -> Fp32Ops.add(acc, Fp32Ops.mulBf16(wVal[j], a));
            };
        }
        return acc;
    }

    /** Splits {@code bus} into {@code count} unsigned lanes of {@code width} bits (lane 0 low). */
    public static int[] lanes(BigInteger bus, int count, int width) {
        int[] out = new int[count];
        int mask = (1 << width) - 1;
        for (int i = 0; i < count; i++) {
            out[i] = bus.shiftRight(i * width).intValue() & mask;
        }
        return out;
    }

    /** Packs unsigned lanes of {@code width} bits, lane 0 low. */
    public static BigInteger pack(int[] lanes, int width) {
        BigInteger v = BigInteger.ZERO;
        long mask = width >= 32 ? 0xFFFF_FFFFL : (1L << width) - 1;
        for (int i = lanes.length - 1; i >= 0; i--) {
            v = v.shiftLeft(width).or(BigInteger.valueOf(lanes[i] & mask));
        }
        return v;
    }
}
