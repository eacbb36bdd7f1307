package dev.sieve.cosim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.Lockstep;
import dev.sieve.hdl.sat.SatDatapath;
import dev.sieve.hdl.sat.SparsePeArray;
import dev.sieve.hdl.sat.model.SparsePeArrayModel;
import dev.sieve.sim.sat.TileTiming;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SAT PE array against {@link SparsePeArrayModel}, bit- and cycle-exact, for arrays from 2x2
 * to 8x8 in both number formats. One compiled design per array runs steps in every pattern (dense,
 * 1:4, 2:4, 2:8) and every row-segment count its config allows (both chosen per step at run time,
 * three steps in a row with the same pair, most with the overlap bit {@link TileTiming#overlaps}
 * gives, every fifth without it, so steps overlap, start instantly and change mode), back to back:
 * first with data always offered, then with random idle cycles on both streams.
 *
 * <p>With data always offered, the last output must come exactly when the sim model's
 * {@link TileTiming.ArrayClock} says the sequence ends: a step with the overlap bit and the pattern and
 * segment count of the one before starts with the switch wave, {@code max(P, reload)} after it when
 * that one did too ({@code max(P, R)} after an instant start), any other after that one's drain,
 * with the fill {@code F = Rs D + C - 1 + X} of the array's PE pipeline. The BF16 arrays run each FP32 adder
 * pipeline depth the config allows (1 to 4 stages: D = 4, 8, 12, 16 with L = 4), the deepest on the
 * small arrays (Verilator's compile time grows with the skew registers, R^2 x D). INT8 ignores the
 * adder stages.
 */
class SatArrayCosimTest {
    private static final List<NmPattern> PATTERNS = List.of(NmPattern.DENSE, new NmPattern(1, 4),
            new NmPattern(2, 4), new NmPattern(2, 8));

    @ParameterizedTest(name = "{0}x{1} {2} segments<={3} add stages {4}")
    @CsvSource({
        "2, 2, int8, 2, 4", "2, 2, bf16, 1, 3",
        "4, 4, int8, 4, 4", "4, 4, bf16, 2, 2",
        "8, 8, int8, 4, 4", "8, 8, bf16, 4, 1",
        "3, 5, int8, 1, 4", "5, 3, bf16, 1, 4",
        "8, 2, int8, 8, 4"})
    void arrayMatchesItsModelAndTheTileTimingContract(int rows, int cols, String format, int segments, int addStages) {
        SatConfig cfg = SatConfig.of(rows, cols).withMultipliersPerPe(4, PATTERNS)
                .withFormat(NumberFormat.parse(format)).withRowSegments(segments).withFpAddStages(addStages);
        SatDatapath dp = SatDatapath.of(cfg);
        CompiledDesign rtl = SatDesigns.compile(() -> new SparsePeArray(cfg));
        SplittableRandom rnd = new SplittableRandom(rows * 100L + cols + format.hashCode());

        SatArrayDriver full = new SatArrayDriver(dp);
        int segmentCodes = Integer.numberOfTrailingZeros(segments) + 1;
        int run = 3;
        int steps = Math.max(12, 2 * run * dp.patterns().size() * segmentCodes);
        // vectors per step: below and above the reload, so either bounds a step
        int maxP = (int) Math.max(3L * rows, 2 * TileTiming.reloadCycles(cfg, rows));
        TileTiming.ArrayClock clock = new TileTiming.ArrayClock(cfg);
        int prevMode = 0; // pattern 0 and segment code 0 after reset
        int waves = 0;
        for (int i = 0; i < steps; i++) {
            int p = i == 0 ? 1 : rnd.nextInt(1, maxP);
            int patternCode = (i / run) % dp.patterns().size();
            int segCode = (i / (run * dp.patterns().size())) % segmentCodes;
            int segRows = rows >> segCode;
            boolean overlap = i > 0 && i % 5 != 4 && TileTiming.overlaps(p, segRows, cfg);
            int mode = patternCode * 16 + segCode;
            // one step in ten has Inf/NaN operands at 3 %, the others none (so most sums stay finite)
            full.tiles.add(full.randomTile(rnd, patternCode, segCode, overlap, p, i % 10 == 5 ? 3 : 0));
            boolean wave = overlap && mode == prevMode;
            waves += wave ? 1 : 0;
            clock.step(p, segRows, wave);
            prevMode = mode;
        }
        assertTrue(waves >= steps / 4, waves + " of " + steps + " steps overlap");
        full.schedule(100, 1);
        assertEquals(clock.cycles() - 1, full.lastOutputCycle, "TileTiming.ArrayClock's end of the sequence");
        check(rtl, dp, full);

        SatArrayDriver stalls = new SatArrayDriver(dp);
        stalls.tiles.addAll(full.tiles);
        stalls.schedule(60, 2);
        check(rtl, dp, stalls);
    }

    private static void check(CompiledDesign rtl, SatDatapath dp, SatArrayDriver d) {
        int n = d.cycles;
        Lockstep.of(rtl, new SparsePeArrayModel(dp)).cycles(n + 4)
                .drive("w_valid", c -> c < n ? d.wValid[(int) c] : 0)
                .drive("w_pattern", c -> c < n ? d.wPattern[(int) c] : 0)
                .drive("w_segments", c -> c < n ? d.wSegments[(int) c] : 0)
                .drive("w_overlap", c -> c < n ? d.wOverlap[(int) c] : 0)
                .driveWide("w_row", c -> c < n ? d.wRow[(int) c] : BigInteger.ZERO)
                .drive("act_valid", c -> c < n ? d.actValid[(int) c] : 0)
                .drive("act_last", c -> c < n ? d.actLast[(int) c] : 0)
                .driveWide("act", c -> c < n ? d.act[(int) c] : BigInteger.ZERO)
                .check();
    }
}
