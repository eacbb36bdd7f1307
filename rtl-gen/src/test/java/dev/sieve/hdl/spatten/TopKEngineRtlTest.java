package dev.sieve.hdl.spatten;

import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.hdl.ModuleDef;
import dev.sieve.tools.GeneratedRtl;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The top-k engine's Verilog lints clean for every comparator count the co-simulation uses. */
class TopKEngineRtlTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "P={0} maxN={1} width={2}")
    @CsvSource({"2, 4, 1", "4, 1024, 12", "8, 1024, 12", "16, 1024, 12", "32, 256, 16"})
    void lintsCleanWithNothingUnused(int p, int maxN, int width) {
        ModuleDef top = new TopKEngine(new SpAttenConfig.TopK(p, maxN, width)).build();
        assertTrue(top.warnings().isEmpty(), top.warnings().toString());
        GeneratedRtl rtl = GeneratedRtl.generate(top, dir.resolve(top.name()));
        assertTrue(rtl.lint().clean(), rtl.lint().format());
    }

    @Test
    void theEngineOfTheSpAttenHardwareIsTheOneTheRecordDescribes() {
        // the paper's hardware: 16 comparators on 12-bit scores; the module name carries P, maxN and width
        TopKEngine e = new TopKEngine(SpAttenConfig.paper().topk(1024));
        assertEquals("topk_p16_n1024_w12", e.moduleName());
        assertEquals(11, TopKEngine.countWidth(SpAttenConfig.paper().topk(1024)), "0 .. 1024 needs 11 bits");
        assertEquals(6, TopKEngine.rowWidth(SpAttenConfig.paper().topk(1024)), "64 rows");
    }
}
