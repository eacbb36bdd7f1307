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
 * The module-by-module estimate of a whole accelerator equals one Yosys run over the whole design
 * ({@code synth_xilinx} keeps the hierarchy: no logic is optimized across module boundaries in
 * either), and its depth, the deepest module's, equals the longest path of the whole flattened
 * netlist: SAT's module boundaries are registered.
 */
class SatAcceleratorResourcesTest {

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
        assertEquals(whole.lut(), t.lut(), "LUTs");
        assertEquals(whole.ff(), t.ff(), "FFs");
        assertEquals(whole.srl(), t.srl(), "SRLs");
        assertEquals(whole.carry(), t.carry(), "carry cells");
        assertEquals(whole.dsp(), t.dsp(), "DSPs");
        assertEquals(whole.bram36(), t.bram36(), "block RAM");
        assertTrue(t.bram36() >= 1.5, "three buffers in block RAM: " + t.bram36());
        assertEquals(whole.logicDepth(), t.logicDepth(), "depth of the deepest module = depth of the flattened netlist");
        Map<String, Long> instances = new java.util.HashMap<>();
        byModule.parts().forEach(p -> instances.put(p.module(), p.instances()));
        assertEquals(4L, instances.get(new SparsePe(SatDatapath.of(cfg)).moduleName()), "R*C PEs");
    }
}
