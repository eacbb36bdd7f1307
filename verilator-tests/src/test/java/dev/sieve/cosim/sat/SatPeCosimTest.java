package dev.sieve.cosim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.Lockstep;
import dev.sieve.cosim.LockstepResult;
import dev.sieve.hdl.sat.SatDatapath;
import dev.sieve.hdl.sat.SparsePe;
import dev.sieve.hdl.sat.model.SatMath;
import dev.sieve.hdl.sat.model.SparsePeModel;
import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sparse PE against {@link SparsePeModel}: every pattern code (dense, 1:4, 2:4, 2:8; with
 * L = 2 also 1:8) switched at run time on one compiled design, random indices (bits above log2 M
 * must be ignored), resets, seeded operands with ties, zeros, largest magnitudes and (BF16)
 * subnormals, infinities and NaN.
 */
class SatPeCosimTest {
    private static final int CYCLES = 40_000;

    private static LockstepResult run(SatDatapath dp, long seed) {
        CompiledDesign rtl = SatDesigns.compile(() -> new SparsePe(dp));
        SplittableRandom rnd = new SplittableRandom(seed);
        int vw = dp.valueWidth();
        int codes = 1 << dp.patternWidth();
        long[] pattern = new long[CYCLES];
        BigInteger[] act = new BigInteger[CYCLES];
        BigInteger[] wVal = new BigInteger[CYCLES];
        long[] wIdx = new long[CYCLES];
        long[] psum = new long[CYCLES];
        for (int c = 0; c < CYCLES; c++) {
            pattern[c] = (c / 64) % codes; // every code in turn, 64 cycles each
            int[] a = new int[dp.lanes()];
            for (int t = 0; t < a.length; t++) {
                a[t] = SatValues.value(dp.format(), rnd, 2);
            }
            int[] w = new int[dp.multipliers()];
            for (int j = 0; j < w.length; j++) {
                w[j] = SatValues.value(dp.format(), rnd, 2);
            }
            act[c] = SatMath.pack(a, vw);
            wVal[c] = SatMath.pack(w, vw);
            wIdx[c] = rnd.nextLong() & ((1L << (dp.multipliers() * dp.indexWidth())) - 1);
            psum[c] = (dp.format() == NumberFormat.BF16_FP32 ? (long) SatValues.bf16(rnd, 2) << 16 | rnd.nextInt(1 << 16) : rnd.nextInt())
                    & 0xFFFF_FFFFL;
        }
        return Lockstep.of(rtl, new SparsePeModel(dp)).cycles(CYCLES)
                .drive("pattern", c -> pattern[(int) c])
                .driveWide("act_in", c -> act[(int) c])
                .driveWide("w_val", c -> wVal[(int) c])
                .drive("w_idx", c -> wIdx[(int) c])
                .drive("psum_in", c -> psum[(int) c])
                .drive("rst", c -> c % 5000 == 4999 ? 1 : 0)
                .check();
    }

    @Test
    void int8PeWithFourMultipliersMatchesItsModelInEveryPattern() {
        assertEquals(CYCLES, run(SatDatapath.of(SatDesigns.pe(4, SatDesigns.PATTERNS, NumberFormat.INT8_INT32)), 1)
                .cycles());
    }

    @Test
    void bf16PeWithFourMultipliersMatchesItsModelInEveryPattern() {
        assertEquals(CYCLES, run(SatDatapath.of(SatDesigns.pe(4, SatDesigns.PATTERNS, NumberFormat.BF16_FP32)), 2)
                .cycles());
    }

    @Test
    void int8PeWithTwoMultipliersAndWiderGroupsMatchesItsModel() {
        // L = 2: 1:4 and 2:8 cover 8 positions, 4:8 is dropped (4 does not divide 2), 1:8 covers 16
        SatDatapath dp = SatDatapath.of(SatDesigns.pe(2, SatConfig.patternsFor(2, List.of(new NmPattern(1, 4),
                new NmPattern(2, 8), new NmPattern(4, 8), new NmPattern(1, 8))), NumberFormat.INT8_INT32));
        assertEquals(16, dp.lanes());
        assertEquals(CYCLES, run(dp, 3).cycles());
    }
}
