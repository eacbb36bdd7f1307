package dev.sieve.arch.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SatConfigTest {

    private static final SatConfig BASE = SatConfig.of(32, 32);

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertEquals(4, BASE.multipliersPerPe());
        assertEquals(SatConfig.DEFAULT_PATTERNS, BASE.patterns());
        assertEquals(384.0, BASE.dramBytesPerCycle()); // 4 x 19.2 GB/s at 200 MHz
        assertEquals(4, BASE.rowSegments());
        assertEquals(4096, BASE.peakMacsPerCycle());
        assertEquals(1, SatConfig.of(3, 5).rowSegments(), "segments must divide the rows");
    }

    @ParameterizedTest(name = "{0} covers {1} reduction positions per PE")
    @CsvSource({"dense, 4", "2:4, 8", "1:4, 16", "2:8, 16", "1:8, 32", "4:8, 8"})
    void kPerPeIsLTimesMOverN(String pattern, int k) {
        assertEquals(k, BASE.kPerPe(NmPattern.parse(pattern)));
    }

    @Test
    void unlistedPatternIsRejectedWithTheAllowedList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BASE.kPerPe(NmPattern.parse("1:2")));
        assertEquals("N:M pattern 1:2 is not supported by this array; allowed: dense, 1:4, 2:4, 2:8, 1:8, 4:8", e.getMessage());
        assertFalse(BASE.supports(NmPattern.parse("3:4")));
        assertTrue(BASE.supports(NmPattern.DENSE));
    }

    @Test
    void listedPatternWhoseNDoesNotDivideLIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BASE.withMultipliersPerPe(2, SatConfig.DEFAULT_PATTERNS));
        assertEquals("patterns: 4:8 needs N = 4 to divide multipliersPerPe = 2; allowed N: divisors of 2", e.getMessage());
        assertEquals(2, BASE.withMultipliersPerPe(2, List.of(NmPattern.DENSE, NmPattern.parse("2:8"))).multipliersPerPe());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rows|0|rows = 0 is out of range; allowed 1 .. 1024",
        "cols|2000|cols = 2000 is out of range; allowed 1 .. 1024",
        "multipliersPerPe|0|multipliersPerPe = 0 is out of range; allowed 1 .. 64",
        "ifmapKiB|0|ifmapKiB = 0 is out of range; allowed 1 .. 1048576",
        "dramBytesPerCycle|0|dramBytesPerCycle = 0.0 is out of range; allowed 0.0009765625 .. 65536",
        "clockMhz|-1|clockMhz = -1.0 is out of range; allowed (0, 10000]",
        "rowSegments|3|rowSegments = 3 is not allowed for rows = 32; allowed: a power of two dividing rows (1 turns the interleave mapping off)",
        "fpAddStages|0|fpAddStages = 0 is out of range; allowed 1 .. 4",
        "fpAddStages|5|fpAddStages = 5 is out of range; allowed 1 .. 4",
    })
    void badValueNamesFieldValueAndRange(String field, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> with(field, value));
        assertEquals(message, e.getMessage());
    }

    private static SatConfig with(String field, String v) {
        SatConfig b = BASE;
        int i = field.equals("dramBytesPerCycle") || field.equals("clockMhz") ? 0 : Integer.parseInt(v);
        double d = Double.parseDouble(v);
        return new SatConfig(field.equals("rows") ? i : b.rows(), field.equals("cols") ? i : b.cols(),
                field.equals("multipliersPerPe") ? i : b.multipliersPerPe(),
                field.equals("multipliersPerPe") ? List.of(NmPattern.DENSE) : b.patterns(), b.format(),
                field.equals("ifmapKiB") ? i : b.ifmapKiB(), b.weightKiB(), b.ofmapKiB(),
                field.equals("dramBytesPerCycle") ? d : b.dramBytesPerCycle(), field.equals("clockMhz") ? d : b.clockMhz(),
                field.equals("rowSegments") ? i : b.rowSegments(), field.equals("fpAddStages") ? i : b.fpAddStages());
    }

    @Test
    void psumLatencyAndFillFollowThePePipeline() {
        // INT8: one 32-bit addition per PE; fill Rs + C - 1 + 2 product stages
        assertEquals(1, BASE.psumLatency());
        assertEquals(32 + 32 - 1 + 2, BASE.fillCycles(32));
        // BF16, L = 4: four adders of fpAddStages stages in a row
        SatConfig bf16 = BASE.withFormat(NumberFormat.BF16_FP32);
        assertEquals(4 * SatConfig.DEFAULT_FP_ADD_STAGES, bf16.psumLatency());
        assertEquals(8, bf16.withFpAddStages(2).psumLatency());
        assertEquals(8 * 16 + 32 - 1 + 2, bf16.withFpAddStages(4).fillCycles(8));
        assertEquals(2, bf16.withMultipliersPerPe(2, List.of(NmPattern.DENSE)).withFpAddStages(1).psumLatency());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "128x4 L4|rows = 128 is beyond the RTL generators (the point is modelled only); RTL allowed 1 .. 64",
        "4x65 L4|cols = 65 is beyond the RTL generators (the point is modelled only); RTL allowed 1 .. 64",
        "4x4 L32|multipliersPerPe = 32 is beyond the RTL generators (the point is modelled only); RTL allowed 1 .. 16",
    })
    void aPointBeyondTheGeneratorsIsModelledOnlyAndSaysWhy(String point, String message) {
        String[] rcl = point.split("[x L]+");
        SatConfig c = SatConfig.of(Integer.parseInt(rcl[0]), Integer.parseInt(rcl[1]))
                .withMultipliersPerPe(Integer.parseInt(rcl[2]), List.of(NmPattern.DENSE, NmPattern.parse("2:4")));
        assertFalse(c.rtlBuildable());
        assertEquals(message, c.rtlLimit().orElseThrow());
        assertEquals(message, assertThrows(IllegalArgumentException.class, c::requireRtlBuildable).getMessage());
    }

    @Test
    void theLargestGeneratedPointIsBuildableInBothFormats() {
        // 64 x 64 PEs of 16 multipliers: the edge of RTL_ROWS, RTL_COLS and RTL_MULTIPLIERS_PER_PE
        SatConfig edge = SatConfig.of(64, 64).withMultipliersPerPe(16, SatConfig.DEFAULT_PATTERNS);
        assertTrue(edge.rtlBuildable());
        assertTrue(edge.withFormat(NumberFormat.BF16_FP32).rtlBuildable());
        assertEquals(edge, edge.requireRtlBuildable());
        assertTrue(BASE.rtlBuildable(), "the default 32 x 32 array");
        assertFalse(SatConfig.of(1024, 1024).rtlBuildable(), "the model's largest array");
    }

    @Test
    void patternsForKeepThoseWhoseNDividesL() {
        assertEquals(List.of(NmPattern.DENSE, NmPattern.parse("1:4"), NmPattern.parse("2:4"), NmPattern.parse("2:8"),
                NmPattern.parse("1:8")), SatConfig.patternsFor(2, SatConfig.DEFAULT_PATTERNS), "4:8 needs N = 4 | L");
        assertEquals(List.of(), SatConfig.patternsFor(0, SatConfig.DEFAULT_PATTERNS));
    }

    @Test
    void numberFormatsHaveTheirWidths() {
        assertEquals(1, NumberFormat.INT8_INT32.operandBytes());
        assertEquals(2, NumberFormat.parse("BF16").operandBytes());
        assertEquals(4, NumberFormat.BF16_FP32.accumulatorBytes());
        assertEquals("number format 'fp8' is not allowed; allowed: int8, bf16",
                assertThrows(IllegalArgumentException.class, () -> NumberFormat.parse("fp8")).getMessage());
    }
}
