package dev.sieve.cosim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.Lockstep;
import dev.sieve.cosim.LockstepResult;
import dev.sieve.hdl.sat.NmPregen;
import dev.sieve.hdl.sat.SatDatapath;
import dev.sieve.hdl.sat.model.NmPregenModel;
import dev.sieve.hdl.sat.model.SatMath;
import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The N:M pre-generation unit against {@link NmPregenModel}: forward (row groups) and backward
 * (column groups) compression of one Mmax x Mmax block per cycle, every pattern code switched at
 * run time, blocks full of ties, zeros, largest magnitudes and (BF16) infinities, NaN and
 * subnormals.
 */
class SatPregenCosimTest {
    private static final int CYCLES = 20_000;

    private static LockstepResult run(SatConfig cfg, long seed) {
        SatDatapath dp = SatDatapath.of(cfg);
        CompiledDesign rtl = SatDesigns.compile(() -> new NmPregen(cfg));
        SplittableRandom rnd = new SplittableRandom(seed);
        int m = NmPregen.maxM(dp);
        boolean bf16 = dp.format() == NumberFormat.BF16_FP32;
        BigInteger[] blocks = new BigInteger[CYCLES];
        long[] pattern = new long[CYCLES];
        for (int c = 0; c < CYCLES; c++) {
            int[] x = new int[m * m];
            int mode = rnd.nextInt(4);
            for (int i = 0; i < x.length; i++) {
                x[i] = switch (mode) {
                    case 0 -> SatValues.value(dp.format(), rnd, 5); // the mix
                    case 1 -> rnd.nextInt(3) == 0 ? 0 : (bf16 ? 0x3F80 : 1) | (rnd.nextBoolean() ? (bf16 ? 0x8000 : 0xFE) : 0); // ties
                    case 2 -> rnd.nextInt(1 << dp.valueWidth()); // any bits
                    default -> bf16 ? SatValues.bf16(rnd, 30) : SatValues.int8(rnd); // many specials
                };
            }
            blocks[c] = SatMath.pack(x, dp.valueWidth());
            pattern[c] = rnd.nextInt(1 << NmPregen.patternWidth(dp));
        }
        return Lockstep.of(rtl, new NmPregenModel(cfg)).cycles(CYCLES)
                .driveWide("block", c -> blocks[(int) c])
                .drive("pattern", c -> pattern[(int) c])
                .drive("rst", c -> c % 7000 == 6999 ? 1 : 0)
                .check();
    }

    private static SatConfig config(List<NmPattern> patterns, NumberFormat f) {
        return SatConfig.of(4, 4).withMultipliersPerPe(4, patterns).withFormat(f);
    }

    @Test
    void int8UnitMatchesItsModelFor1of4And2of4And2of8() {
        assertEquals(CYCLES, run(config(SatDesigns.PATTERNS, NumberFormat.INT8_INT32), 1).cycles());
    }

    @Test
    void bf16UnitMatchesItsModelFor1of4And2of4And2of8() {
        assertEquals(CYCLES, run(config(SatDesigns.PATTERNS, NumberFormat.BF16_FP32), 2).cycles());
    }

    @Test
    void int8UnitMatchesItsModelFor1of8And4of8() {
        assertEquals(CYCLES, run(config(List.of(new NmPattern(1, 8), new NmPattern(4, 8)), NumberFormat.INT8_INT32), 3)
                .cycles());
    }

    @Test
    void tiesGoToTheLowerIndexAndNanRanksAboveInfinity() {
        SatDatapath dp = SatDatapath.of(config(SatDesigns.PATTERNS, NumberFormat.BF16_FP32));
        // |1| = |-1| = |1|: the first two win a 2:4 group
        assertEquals(List.of(0, 1), NmPregenModel.topN(dp, new int[] {0x3F80, 0xBF80, 0x3F80, 0}, 2));
        // NaN over -Inf over 2.0; a subnormal counts as zero and loses to +0 at a lower index
        assertEquals(List.of(1, 3), NmPregenModel.topN(dp, new int[] {0x4000, 0xFF80, 0x0001, 0x7FC1}, 2));
        assertEquals(List.of(0), NmPregenModel.topN(dp, new int[] {0x0000, 0x0001, 0x8000, 0x0000}, 1));
        SatDatapath int8 = SatDatapath.of(config(SatDesigns.PATTERNS, NumberFormat.INT8_INT32));
        // |-128| = 128 beats 127
        assertEquals(List.of(1), NmPregenModel.topN(int8, new int[] {0x7F, 0x80, 0, 1}, 1));
    }
}
