package dev.sieve.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Classification of Xilinx primitives and reading of Yosys {@code stat -json}, without running Yosys. */
class ResourceReportTest {

    @Test
    void lutsIncludeDualOutputLutsAndInverters() {
        ResourceReport r = ResourceReport.fromCellCounts("t",
                Map.of("LUT1", 1, "LUT2", 2, "LUT6", 3, "LUT6_2", 4, "INV", 5), List.of());
        assertEquals(15, r.lut());
        assertEquals(15, r.lutSites());
    }

    @Test
    void eighteenKilobitBlockRamIsHalfABram36() {
        ResourceReport r = ResourceReport.fromCellCounts("t",
                Map.of("RAMB36E2", 2, "RAMB18E2", 3, "RAMB18E1", 1), List.of());
        assertEquals(4.0, r.bram36());
        assertEquals(4.0 / 2_160, r.bramFraction(), 1e-15);
    }

    @Test
    void distributedRamCountsTheLutSitesEachPrimitiveOccupies() {
        // UG574: RAM64M and RAM32M are 4-LUT quad-port RAMs, RAM64X1D a 2-LUT dual-port RAM.
        ResourceReport r = ResourceReport.fromCellCounts("t",
                Map.of("RAM64M", 2, "RAM32M", 1, "RAM64X1D", 1, "RAM64X1S", 1), List.of());
        assertEquals(8 + 4 + 2 + 1, r.lutram());
        assertEquals(0, r.lut());
        assertEquals(15, r.lutSites());
    }

    @Test
    void shiftRegistersAreTheirOwnColumnButCountAsLutSites() {
        ResourceReport r = ResourceReport.fromCellCounts("t",
                Map.of("SRLC32E", 3, "SRL16E", 2, "LUT3", 1), List.of());
        assertEquals(5, r.srl());
        assertEquals(0, r.lutram());
        assertEquals(6, r.lutSites());
        assertEquals(6.0 / 1_182_240, r.lutFraction(), 1e-15);
    }

    @Test
    void flipFlopCarryDspAndBufferFamilies() {
        ResourceReport r = ResourceReport.fromCellCounts("t", Map.ofEntries(
                Map.entry("FDRE", 1), Map.entry("FDSE", 1), Map.entry("FDCE", 1), Map.entry("FDPE", 1),
                Map.entry("FDRE_1", 1), Map.entry("LDCE", 1),
                Map.entry("CARRY4", 2), Map.entry("CARRY8", 1),
                Map.entry("DSP48E2", 3), Map.entry("DSP48E1", 1), Map.entry("URAM288", 2),
                Map.entry("IBUF", 4), Map.entry("OBUF", 5), Map.entry("BUFG", 1)), List.of());
        assertEquals(6, r.ff());
        assertEquals(3, r.carry());
        assertEquals(4, r.dsp());
        assertEquals(2, r.uram());
        assertEquals(10, r.io());
        assertEquals(0, r.other());
    }

    @Test
    void unknownCellsAreOtherAndStayInTheRawMap() {
        ResourceReport r = ResourceReport.fromCellCounts("t", Map.of("MUXF7", 2, "$_AND_", 1), List.of());
        assertEquals(3, r.other());
        assertEquals(2, r.cells("MUXF7"));
        assertEquals(0, r.cells("LUT6"));
    }

    @Test
    void statJsonDesignEntryCountsSubmodulesThroughTheHierarchy() throws IOException {
        // Real Yosys 0.23 output for a top that instantiates 'leaf' twice, where leaf is
        //   always @(posedge clk) q <= d + 4'd1;   with 4-bit d and q
        // The "modules" entry of top lists "leaf": 2; the "design" entry multiplies it out:
        // 2 x (4 FDRE + 1 CARRY4 + 1 INV) plus top's own buffers (4 data + clk IBUF, 4 OBUF, BUFG).
        String json = Files.readString(TestDesigns.resource("stat_hierarchical.json"));

        Map<String, Integer> cells = YosysEstimate.cellsByType(json, "top");

        assertEquals(Map.of("BUFG", 1, "CARRY4", 2, "FDRE", 8, "IBUF", 5, "INV", 2, "OBUF", 4), cells);
    }

    @Test
    void hierarchyLinesYosysPrintsIntoTheJsonOfDeepDesignsAreSkipped() {
        // Yosys 0.23 on a three-level design (SAT array > PE > FP adder) writes the text lines of the
        // hierarchy ("sat_fp32_add 4") between the "modules" and "design" entries of stat -json.
        String json = "{\n   \"modules\": {\n      \"\\\\pe\": {\n         \"num_cells_by_type\": {\n"
                + "            \"FDRE\": 544,\n            \"sat_fp32_add\": 4\n         }\n      }\n   },\n"
                + "       sat_fp32_add                  4\n"
                + "      \"design\": {\n         \"num_cells_by_type\": {\n            \"FDRE\": 46223,\n"
                + "            \"DSP48E2\": 256\n         }\n      }\n}\n";

        assertEquals(Map.of("FDRE", 46223, "DSP48E2", 256), YosysEstimate.cellsByType(json, "top"));
    }

    @Test
    void malformedStatJsonIsRejectedWithItsOffset() {
        // The value after "FDRE": is missing; the '}' standing in its place is character 42.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> YosysEstimate.cellsByType("{\"design\": {\"num_cells_by_type\": {\"FDRE\": }}}", "top"));
        assertTrue(e.getMessage().startsWith("malformed JSON at offset 42: Unexpected character ('}'"), e.getMessage());
    }

    @Test
    void tableShowsHalfBlockRams() {
        String table = ResourceReport.fromCellCounts("t", Map.of("RAMB18E2", 1), List.of()).toTable();
        String row = table.lines().filter(l -> l.startsWith("BRAM36")).findFirst().orElseThrow();
        assertEquals(true, row.matches("BRAM36\\s+0\\.5\\s+2,160\\s+0\\.023"), row);
    }
}
