package dev.sieve.hdl.spatten;

import dev.sieve.hdl.ModuleDef;
import dev.sieve.tools.GeneratedRtl;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The top-k engine's Verilog lints clean for every comparator count the co-simulation uses. */
class TopKEngineRtlTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "P={0} maxN={1} width={2}")
    @CsvSource({"2, 4, 1", "4, 1024, 12", "8, 1024, 12", "16, 1024, 12", "32, 256, 16"})
    void lintsCleanWithNothingUnused(int p, int maxN, int width) {
        ModuleDef top = new TopKEngine(new TopKEngine.Config(p, maxN, width)).build();
        assertTrue(top.warnings().isEmpty(), top.warnings().toString());
        GeneratedRtl rtl = GeneratedRtl.generate(top, dir.resolve(top.name()));
        assertTrue(rtl.lint().clean(), rtl.lint().format());
    }

    @Test
    void configErrorsNameTheFieldAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TopKEngine.Config(12, 1024, 12));
        assertEquals("comparators = 12 is out of range; allowed a power of two in 2 .. 64", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TopKEngine.Config(16, 16, 12));
        assertEquals("max_n = 16 is out of range; allowed a power of two in 32 .. 65536", e.getMessage());
    }
}
