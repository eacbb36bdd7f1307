package dev.sieve.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resource estimates from Yosys 0.23 {@code synth_xilinx -family xcup} for three hand-written
 * designs. Each design is synthesized once for the whole class (a few seconds each).
 */
class YosysEstimateTest {

    private static ResourceReport multiply;
    private static ResourceReport ram;
    private static ResourceReport counter;

    @BeforeAll
    static void synthesizeOnce() {
        multiply = YosysEstimate.estimate(List.of(TestDesigns.resource("mul16_reg.v")), "mul16_reg");
        ram = YosysEstimate.estimate(List.of(TestDesigns.resource("ram1024x32.v")), "ram1024x32");
        counter = YosysEstimate.estimate(List.of(TestDesigns.resource("counter8.v")), "counter8");
    }

    @Test
    void registeredSixteenBitMultiplyFitsOneDsp() {
        // 16x16 unsigned fits the DSP48E2's 27x18 signed multiplier (both operands zero-extend to
        // 17 bits), so one slice and no LUT logic.
        assertEquals(1, multiply.dsp(), multiply::toTable);
        assertEquals(0, multiply.lut(), multiply::toTable);
        assertEquals(0, multiply.carry(), multiply::toTable);
        // Yosys 0.23's xilinx_dsp does not pull these registers into the DSP48E2's A/B/P
        // registers, so they stay fabric flip-flops: 16 (a_q) + 16 (b_q) + 32 (p) = 64.
        assertEquals(64, multiply.ff(), multiply::toTable);
    }

    @Test
    void longestPathsAreCountedBetweenRegisters() {
        // a_q/b_q -> DSP48E2 (used without its pipeline registers, see above) -> p: one cell, a DSP
        ResourceReport.Depth mul = multiply.logicDepth().orElseThrow();
        assertEquals(new ResourceReport.Depth(1, 0, 1), mul, multiply::toTable);
        assertEquals(ResourceReport.OVERHEAD_NS + ResourceReport.DSP_NS, mul.delayNs(), 1e-9);
        // count -> INV (bit 0's propagate) -> CARRY4 -> CARRY4 -> count: three cells, two of them carry
        ResourceReport.Depth cnt = counter.logicDepth().orElseThrow();
        assertEquals(new ResourceReport.Depth(3, 2, 0), cnt, counter::toTable);
        assertEquals(1000 / (0.6 + 0.5 + 2 * 0.1), cnt.suggestedClockMhz(), 1e-9);
    }

    @Test
    void depthIsReadFromLtpOutputAndTheDspList() {
        String ltp = """
                Longest topological path in top (length=4):
                    0: \\a [0]
                    1: $x.A (via $abc$1$auto$blifparse.cc:525:parse_blif$7)
                    2: $x.CO [3] (via $alu$2.genblk1.slice[0].genblk1.carry4)
                    3: $y.P [1] (via $mul$top.v:3$5)
                    4: \\q (via $abc$1$auto$blifparse.cc:525:parse_blif$9)
                """;
        assertEquals(new ResourceReport.Depth(4, 1, 1), YosysEstimate.depth(ltp, "top/$mul$top.v:3$5\n"));
        assertEquals(new ResourceReport.Depth(4, 1, 0), YosysEstimate.depth(ltp, ""));
        assertThrows(IllegalArgumentException.class, () -> YosysEstimate.depth("nothing", ""));
    }

    @Test
    void synchronousReadMemoryMapsToOneBlockRam() {
        // 1024 x 32 = 32 Kib fits one RAMB36E2 in its 1K x 36 shape; the registered read becomes
        // the BRAM's own output latch, so no fabric FFs, no LUT RAM and no address logic.
        assertEquals(1.0, ram.bram36(), ram::toTable);
        assertEquals(1, ram.cells("RAMB36E2"), ram::toTable);
        assertEquals(0, ram.lutram(), ram::toTable);
        assertEquals(0, ram.ff(), ram::toTable);
        assertEquals(0, ram.lut(), ram::toTable);
    }

    @Test
    void eightBitCounterUsesEightFlipFlopsAndNoDsp() {
        // One FDRE per count bit; the synchronous reset and the enable go to FDRE's R and CE pins
        // (R has priority over CE, as in the RTL), so no LUT is spent on them.
        assertEquals(8, counter.ff(), counter::toTable);
        assertEquals(0, counter.dsp(), counter::toTable);
        // count + 1 is an 8-bit carry chain: two CARRY4 of 4 bits each; its only LUT is the INV
        // that forms bit 0's propagate input.
        assertEquals(2, counter.carry(), counter::toTable);
        assertEquals(1, counter.lut(), counter::toTable);
        assertEquals(0.0, counter.bram36());
    }

    @Test
    void topLevelPortsGetIoBuffersUnlessNoiopadIsGiven() {
        // synth_xilinx inserts an IBUF per input bit, an OBUF per output bit and a BUFG on the
        // clock: counter8 has clk, rst, en (3 IBUF; clk's IBUF feeds the BUFG) and 8 outputs.
        assertEquals(3, counter.cells("IBUF"), counter::toTable);
        assertEquals(8, counter.cells("OBUF"), counter::toTable);
        assertEquals(1, counter.cells("BUFG"), counter::toTable);
        assertEquals(12, counter.io(), counter::toTable);
        assertEquals(0, counter.other(), counter::toTable);
    }

    @Test
    void fractionsAreOfTheXcvu9p() {
        assertEquals(1.0 / 6_840, multiply.dspFraction(), 1e-15);
        assertEquals(64.0 / 2_364_480, multiply.ffFraction(), 1e-15);
        assertEquals(1.0 / 2_160, ram.bramFraction(), 1e-15);
        assertEquals(1.0 / 1_182_240, counter.lutFraction(), 1e-15);
    }

    @Test
    void tableListsUsedAvailableAndPercent() {
        String table = multiply.toTable();
        List<String> lines = table.lines().toList();

        assertTrue(lines.get(0).matches("resource\\s+used\\s+available\\s+% of XCVU9P"), table);
        assertTrue(table.contains("\nDSP  "), table);
        String dspRow = lines.stream().filter(l -> l.startsWith("DSP ")).findFirst().orElseThrow();
        assertTrue(dspRow.matches("DSP\\s+1\\s+6,840\\s+0\\.015"), dspRow);
        // Right-aligned numbers: every row with a percentage ends at the header's last column.
        lines.stream().filter(l -> l.matches(".*\\d\\.\\d{3}"))
                .forEach(l -> assertEquals(lines.get(0).length(), l.length(), l));
    }

    @Test
    void yosysErrorCarriesYosysMessageAndTheFile() {
        // syntax_error.v lacks a ';' on line 6; Yosys reports it at 'endmodule' on line 7.
        ExternalTool.ToolFailedException e = assertThrows(ExternalTool.ToolFailedException.class,
                () -> YosysEstimate.estimate(List.of(TestDesigns.resource("syntax_error.v")), "syntax_error"));

        assertTrue(e.getMessage().contains("syntax_error.v:7: ERROR: syntax error"), e.getMessage());
        assertTrue(e.getMessage().contains("top module 'syntax_error'"), e.getMessage());
    }

    @Test
    void unknownTopModuleIsReportedByName() {
        ExternalTool.ToolFailedException e = assertThrows(ExternalTool.ToolFailedException.class,
                () -> YosysEstimate.estimate(List.of(TestDesigns.resource("counter8.v")), "no_such_top"));

        assertTrue(e.getMessage().contains("Module `no_such_top' not found"), e.getMessage());
    }
}
