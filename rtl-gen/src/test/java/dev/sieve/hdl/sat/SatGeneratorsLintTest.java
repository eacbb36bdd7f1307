package dev.sieve.hdl.sat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import dev.sieve.hdl.Component;
import dev.sieve.tools.GeneratedRtl;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every SAT generator emits Verilog that passes {@code verilator --lint-only -Wall} with no warnings. */
class SatGeneratorsLintTest {
    static final List<NmPattern> PATTERNS = List.of(new NmPattern(1, 4), new NmPattern(2, 4), new NmPattern(2, 8));

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
        lintClean(new SparsePeArray(SatDatapath.of(2, 3, 4, PATTERNS, false)), dir.resolve("int8"));
        lintClean(new SparsePeArray(SatDatapath.of(3, 2, 4, PATTERNS, true)), dir.resolve("bf16"));
    }

    @Test
    void preGenerationUnitsLintClean(@TempDir Path dir) {
        lintClean(new NmPregen(SatDatapath.of(2, 2, 4, PATTERNS, false)), dir.resolve("int8"));
        lintClean(new NmPregen(SatDatapath.of(2, 2, 4, PATTERNS, true)), dir.resolve("bf16"));
    }

    @Test
    void patternCodesPutDenseFirstAndDropPatternsWhoseNDoesNotDivideL() {
        SatDatapath dp = SatDatapath.of(4, 4, 2, List.of(new NmPattern(2, 4), new NmPattern(4, 8), new NmPattern(1, 4)),
                false);
        assertEquals(List.of(NmPattern.DENSE, new NmPattern(2, 4), new NmPattern(1, 4)), dp.patterns());
        assertEquals(8, dp.lanes(), "1:4 with L = 2 covers 2 * 4 / 1 = 8 positions");
        assertEquals(2, dp.indexWidth());
    }

    @Test
    void badRowsNameTheFieldAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SatDatapath.of(0, 4, 4, PATTERNS, false));
        assertEquals("rows = 0 is out of range; allowed 1 .. 64", e.getMessage());
    }
}
