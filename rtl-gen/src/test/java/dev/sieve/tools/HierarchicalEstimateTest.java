package dev.sieve.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How per-module Yosys reports compose into a design's totals (no Yosys run: synthetic reports). */
class HierarchicalEstimateTest {

    private static ResourceReport report(String top, Map<String, Integer> cells, ResourceReport.Depth depth) {
        return ResourceReport.fromCellCounts(top, cells, List.of()).withDepth(depth);
    }

    @Test
    void totalsAreOwnCellsTimesInstancesDownTheHierarchy() {
        Map<String, ResourceReport> own = new LinkedHashMap<>(); // children first, as ModuleDef.hierarchy()
        own.put("pe", report("pe", Map.of("LUT6", 10, "FDRE", 5, "DSP48E2", 1, "BUFG", 1),
                new ResourceReport.Depth(11, 8, 0)));
        own.put("adder", report("adder", Map.of("LUT4", 7, "FDRE", 2, "BUFG", 1), new ResourceReport.Depth(16, 10, 0)));
        own.put("array", report("array", Map.of("LUT2", 3, "SRL16E", 4, "pe", 6, "BUFG", 1),
                new ResourceReport.Depth(5, 0, 0)));
        own.put("top", report("top", Map.of("LUT6", 20, "RAMB36E2", 3, "RAMB18E2", 1, "array", 2, "adder", 1,
                "BUFG", 1), new ResourceReport.Depth(19, 12, 0)));
        HierarchicalEstimate.Result r = HierarchicalEstimate.compose("top", own);
        ResourceReport t = r.total();
        // 2 arrays x 6 PEs = 12 PEs: 120 LUTs + 2 x 3 + 7 + 20
        assertEquals(12 * 10 + 2 * 3 + 7 + 20, t.lut());
        assertEquals(12 * 5 + 2, t.ff());
        assertEquals(12, t.dsp());
        assertEquals(2 * 4, t.srl());
        assertEquals(3.5, t.bram36());
        assertEquals(1, t.io(), "one clock buffer, the top's; each module run adds its own");
        assertEquals(0, t.other(), "child instances are not cells of the total");
        // the deepest path by delay: top 0.6 + 7 LUT levels x 0.5 + 12 carry x 0.1 = 5.3 ns,
        // adder 0.6 + 6 x 0.5 + 10 x 0.1 = 4.6 ns, pe 0.6 + 3 x 0.5 + 8 x 0.1 = 2.9 ns
        assertEquals("top", r.deepestModule());
        assertEquals(new ResourceReport.Depth(19, 12, 0), t.logicDepth().orElseThrow());
        Map<String, Long> instances = new LinkedHashMap<>();
        r.parts().forEach(p -> instances.put(p.module(), p.instances()));
        assertEquals(Map.of("pe", 12L, "adder", 1L, "array", 2L, "top", 1L), instances);
    }

    @Test
    void aModuleNoParentPlacesCountsNothing() {
        Map<String, ResourceReport> own = new LinkedHashMap<>();
        // Yosys removed the only instance of "spare" (its outputs unread): 0 copies, and its depth is not the design's
        own.put("spare", report("spare", Map.of("LUT6", 1000), new ResourceReport.Depth(40, 0, 0)));
        own.put("top", report("top", Map.of("LUT6", 5), new ResourceReport.Depth(3, 0, 0)));
        HierarchicalEstimate.Result r = HierarchicalEstimate.compose("top", own);
        assertEquals(5, r.total().lut());
        assertEquals("top", r.deepestModule());
    }
}
