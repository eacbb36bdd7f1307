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

/**
 * The SAT PE array against {@link SparsePeArrayModel}, bit- and cycle-exact, for arrays from 2x2
 * to 8x8 in both number formats. One compiled design per array runs steps in every pattern (dense,
 * 1:4, 2:4, 2:8) and every row-segment count its config allows (both chosen per step at run time),
 * back to back: first with data always offered, then with random idle cycles on both streams.
 *
 * <p>With data always offered, the last output must come exactly when the sim model's
 * {@link TileTiming#sequenceCycles} says the sequence ends: {@code R + sum max(P_i + F_i, R)} with the
 * fill {@code F = Rs D + C - 1 + X} of the array's PE pipeline. The BF16 arrays run each FP32 adder
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
        int steps = Math.max(10, 2 * dp.patterns().size() * segmentCodes);
        List<Long> vectors = new ArrayList<>();
        List<Integer> segmentRows = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            int p = i == 0 ? 1 : rnd.nextInt(1, 3 * rows);
            int segCode = (i / dp.patterns().size()) % segmentCodes;
            // one step in ten has Inf/NaN operands at 3 %, the others none (so most sums stay finite)
            full.tiles.add(full.randomTile(rnd, i % dp.patterns().size(), segCode, p, i % 10 == 5 ? 3 : 0));
            vectors.add((long) p);
            segmentRows.add(rows >> segCode);
        }
        full.schedule(100, 1);
        long expected = TileTiming.weightLoadCycles(rows);
        for (int i = 0; i < steps; i++) {
            expected += TileTiming.issueCycles(TileTiming.computeCycles(vectors.get(i), segmentRows.get(i), cfg), rows);
        }
        if (segments == 1) {
            long[] ps = vectors.stream().mapToLong(Long::longValue).toArray();
            assertEquals(TileTiming.sequenceCycles(cfg, rows, ps), expected);
        }
        assertEquals(expected - 1, full.lastOutputCycle, "TileTiming: R + sum max(P + Rs D + C - 1 + X, R) cycles");
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
                .driveWide("w_row", c -> c < n ? d.wRow[(int) c] : BigInteger.ZERO)
                .drive("act_valid", c -> c < n ? d.actValid[(int) c] : 0)
                .drive("act_last", c -> c < n ? d.actLast[(int) c] : 0)
                .driveWide("act", c -> c < n ? d.act[(int) c] : BigInteger.ZERO)
                .check();
    }
}
