package dev.sieve.hdl.sat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.hdl.ModuleDef;
import dev.sieve.tools.GeneratedRtl;
import dev.sieve.tools.HierarchicalEstimate;
import dev.sieve.tools.ResourceReport;
import dev.sieve.tools.YosysEstimate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module-by-module estimate of a whole accelerator is within a few percent of one Yosys run over
 * the whole design ({@code synth_xilinx} keeps the hierarchy: no logic is optimized across module
 * boundaries in either; ABC maps a module a little differently in context), and its depth, the
 * deepest module's, is that of the whole flattened netlist within a cell: SAT's module boundaries are
 * registered.
 */
class SatAcceleratorResourcesTest {
    /**
     * Relative difference allowed between the module-by-module and the whole-design counts: ABC maps
     * a module's logic a little differently inside the whole design (2,072 vs 2,095 LUTs here, 1.1 %,
     * before the array's steps overlapped; 3,572 vs 3,444, 3.7 %, with the array's switch wave).
     */
    static final double TOLERANCE = 0.04;
    /**
     * The same for the longest path, in cells: the top module's controller maps to one LUT level more
     * alone than inside the whole design here (20 vs 19 cells, 9 of them carry); a path crossing a
     * module boundary through logic on both sides would make the whole design's path the longer one.
     */
    static final double TOLERANCE_DEPTH = 0.10;

    static void assertWithin(double tolerance, long expected, long actual, String message) {
        assertTrue(Math.abs(actual - expected) <= tolerance * expected, message);
    }

    @Test
    void moduleByModuleTotalsEqualTheWholeDesignRun(@TempDir Path dir) {
        // 2x2 PEs of 1 INT8 multiplier, dense and 1:4, 1 KiB buffers (block RAM), no pre-generation unit: small
        SatConfig cfg = SatConfig.of(2, 2).withMultipliersPerPe(1, List.of(NmPattern.DENSE, new NmPattern(1, 4)))
                .withFormat(NumberFormat.INT8_INT32).withRowSegments(1).withBuffersKiB(1, 1, 1);
        ModuleDef design = new SatAccelerator(new SatAcceleratorLayout(SatDatapath.of(cfg), false)).build();
        HierarchicalEstimate.Result byModule = HierarchicalEstimate.estimate(design);
        GeneratedRtl rtl = GeneratedRtl.generate(design, dir.resolve(design.name()));
        ResourceReport whole = HierarchicalEstimate.MODULE.run(rtl.files(), rtl.top());

        ResourceReport t = byModule.total();
        String both = "by module " + t.lutSites() + " LUT, " + t.ff() + " FF, " + t.dsp() + " DSP, " + t.bram36()
                + " BRAM36, depth " + t.logicDepth().orElseThrow() + "; whole " + whole.lutSites() + " LUT, "
                + whole.ff() + " FF, " + whole.dsp() + " DSP, " + whole.bram36() + " BRAM36, depth "
                + whole.logicDepth().orElseThrow();
        System.out.println(design.name() + ": " + both);
        org.junit.jupiter.api.Assertions.assertAll(
                () -> assertWithin(TOLERANCE, whole.lutSites(), t.lutSites(), "LUTs: " + both),
                () -> assertWithin(TOLERANCE, whole.ff(), t.ff(), "FFs: " + both),
                () -> assertEquals(whole.dsp(), t.dsp(), "DSPs: " + both),
                () -> assertEquals(whole.bram36(), t.bram36(), "block RAM: " + both),
                () -> assertTrue(t.bram36() >= 1.5, "three buffers in block RAM: " + both),
                () -> assertWithin(TOLERANCE_DEPTH, whole.logicDepth().orElseThrow().levels(),
                        t.logicDepth().orElseThrow().levels(), "depth: " + both));
        Map<String, Long> instances = new java.util.HashMap<>();
        byModule.parts().forEach(p -> instances.put(p.module(), p.instances()));
        assertEquals(4L, instances.get(new SparsePe(SatDatapath.of(cfg)).moduleName()), "R*C PEs");
    }
}
