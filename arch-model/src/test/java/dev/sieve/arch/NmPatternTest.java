package dev.sieve.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NmPatternTest {

    @ParameterizedTest(name = "{0} -> {1}x")
    @CsvSource({"2:4, 1.5", "2:8, 2.0", "1:4, 2.0", "1:8, 2.4", "4:8, 1.5", "dense, 1.0"})
    void idealSpeedupMatchesTheSatPapersFormula(String pattern, double expected) {
        // 3 / (2N/M + 1): the figures ARCHITECTURE.md quotes from the SAT paper (2:4 1.5x, 2:8 2.0x, 1:4 2.0x, 1:8 2.4x)
        assertEquals(expected, NmPattern.parse(pattern).idealTrainingSpeedup(), 1e-12);
    }

    @Test
    void parsesAndPrintsRoundTrip() {
        assertEquals("2:8", NmPattern.parse(" 2:8 ").toString());
        assertEquals(NmPattern.DENSE, NmPattern.parse("4:4"));
        assertEquals(3, NmPattern.parse("2:8").indexBits());
    }

    @Test
    void badPatternsNameTheFieldAndAllowedValues() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NmPattern.parse("3:6")).getMessage()
                .contains("M = 6 is not allowed; allowed 1, 2, 4, 8, 16, 32, 64"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NmPattern.parse("5:4")).getMessage()
                .contains("N = 5 is not allowed for M = 4; allowed 1 .. 4"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NmPattern.parse("2-4")).getMessage()
                .contains("malformed"));
    }
}
