package dev.sieve.verify.sat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.Lockstep;
import dev.sieve.cosim.sat.SparsePeArrayModel;
import dev.sieve.hdl.sat.SatDatapath;
import dev.sieve.hdl.sat.SparsePeArray;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SAT PE array against {@link SparsePeArrayModel}, bit- and cycle-exact, for arrays from 2x2
 * to 8x8 in both number formats: one compiled design per array runs tiles in every pattern
 * (dense, 1:4, 2:4, 2:8, chosen per tile at run time) back to back, first with data always
 * offered, then with random idle cycles on both input streams.
 *
 * <p>With data always offered, the cycle of the last output must be the TileTiming contract:
 * R cycles of first weight load, then P_i + R + C - 1 cycles per tile, so the last output is
 * sampled in cycle {@code R + sum(P_i + R + C - 1) - 1}.
 */
class SatArrayCosimTest {

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({
        "2, 2, int8", "2, 2, bf16",
        "4, 4, int8", "4, 4, bf16",
        "8, 8, int8", "8, 8, bf16",
        "3, 5, int8", "5, 3, bf16"})
    void arrayMatchesItsModelAndTheTileTimingContract(int rows, int cols, String format) {
        boolean bf16 = format.equals("bf16");
        SatDatapath dp = SatDatapath.of(rows, cols, 4, SatDesigns.PATTERNS, bf16);
        CompiledDesign rtl = SatDesigns.compile(() -> new SparsePeArray(dp));
        SplittableRandom rnd = new SplittableRandom(rows * 100 + cols + (bf16 ? 7 : 0));

        SatArrayDriver full = new SatArrayDriver(dp);
        long expectedCycles = rows;
        int tiles = 10;
        for (int i = 0; i < tiles; i++) {
            int p = i == 0 ? 1 : rnd.nextInt(1, 3 * rows);
            // one tile in ten has Inf/NaN operands at 3 %, the others 0.2 % (so most sums stay finite)
            full.tiles.add(full.randomTile(rnd, i % dp.patterns().size(), p, i == 5 ? 3 : 0));
            expectedCycles += p + rows + cols - 1;
        }
        full.schedule(100, 1);
        assertEquals(expectedCycles - 1, full.lastOutputCycle, "TileTiming: R + sum(P + R + C - 1) cycles");
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
                .driveWide("w_row", c -> c < n ? d.wRow[(int) c] : java.math.BigInteger.ZERO)
                .drive("act_valid", c -> c < n ? d.actValid[(int) c] : 0)
                .drive("act_last", c -> c < n ? d.actLast[(int) c] : 0)
                .driveWide("act", c -> c < n ? d.act[(int) c] : java.math.BigInteger.ZERO)
                .check();
    }
}
