package dev.sieve.hdl.sat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.hdl.Component;
import dev.sieve.tools.GeneratedRtl;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every SAT generator emits Verilog that passes {@code verilator --lint-only -Wall} with no warnings. */
class SatRtlTest {
    static final List<NmPattern> PATTERNS = List.of(new NmPattern(1, 4), new NmPattern(2, 4), new NmPattern(2, 8));

    /** A {@code rows x cols} array of L = 4 with {@link #PATTERNS}, one row segment. */
    static SatConfig config(int rows, int cols, NumberFormat format) {
        return SatConfig.of(rows, cols).withMultipliersPerPe(4, PATTERNS).withFormat(format).withRowSegments(1);
    }

    private static void lintClean(Component c, Path dir) {
        GeneratedRtl rtl = GeneratedRtl.generate(c.build(), dir);
        assertTrue(rtl.lint().clean(), () -> rtl.lint().toString());
    }

    @Test
    void arithmeticUnitsLintClean(@TempDir Path dir) {
        lintClean(new Fp32Adder(), dir.resolve("add"));
        lintClean(new Bf16Multiplier(), dir.resolve("mul"));
    }

    @Test
    void int8AndBf16ArraysLintClean(@TempDir Path dir) {
        lintClean(new SparsePeArray(config(2, 3, NumberFormat.INT8_INT32)), dir.resolve("int8"));
        lintClean(new SparsePeArray(config(3, 2, NumberFormat.BF16_FP32)), dir.resolve("bf16"));
    }

    @Test
    void preGenerationUnitsLintClean(@TempDir Path dir) {
        lintClean(new NmPregen(config(2, 2, NumberFormat.INT8_INT32)), dir.resolve("int8"));
        lintClean(new NmPregen(config(2, 2, NumberFormat.BF16_FP32)), dir.resolve("bf16"));
    }

    @Test
    void patternCodesPutDenseFirstThenTheRecordsPatternsOnce() {
        SatDatapath dp = SatDatapath.of(SatConfig.of(4, 4).withMultipliersPerPe(2, List.of(new NmPattern(2, 4),
                NmPattern.DENSE, new NmPattern(1, 4), new NmPattern(2, 4))));
        assertEquals(List.of(NmPattern.DENSE, new NmPattern(2, 4), new NmPattern(1, 4)), dp.patterns());
        assertEquals(8, dp.lanes(), "1:4 with L = 2 covers 2 * 4 / 1 = 8 positions");
        assertEquals(2, dp.indexWidth());
        assertEquals(NumberFormat.INT8_INT32, dp.format());
        assertEquals(8, dp.valueWidth());
        assertEquals(16, SatDatapath.of(config(2, 2, NumberFormat.BF16_FP32)).valueWidth());
    }

    @Test
    void aModelledOnlyPointFailsWithTheRecordsMessage() {
        // SatConfig takes 128 rows (its model range is 1 .. 1024); the generators build 1 .. 64
        SatConfig big = SatConfig.of(128, 4);
        String expected = big.rtlLimit().orElseThrow();
        assertEquals("rows = 128 is beyond the RTL generators (the point is modelled only); RTL allowed 1 .. 64", expected);
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> new SparsePeArray(big)).getMessage());
        SatConfig wide = SatConfig.of(4, 4).withMultipliersPerPe(32, List.of(NmPattern.DENSE));
        assertEquals(wide.rtlLimit().orElseThrow(),
                assertThrows(IllegalArgumentException.class, () -> new SparsePe(wide)).getMessage());
        assertEquals(wide.rtlLimit().orElseThrow(),
                assertThrows(IllegalArgumentException.class, () -> new NmPregen(wide)).getMessage());
    }
}
