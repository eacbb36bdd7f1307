package dev.sieve.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link BuildOptions} change and what they leave alone, without compiling: the plain build
 * keeps the content hash every cached design already has (so adding options recompiles nothing),
 * any option moves the hash, and the native AXI memory is only filled in for a port set that has
 * every signal it drives and samples.
 */
class BuildOptionsTest {
    private static final BuildOptions AXI = BuildOptions.DEFAULT.withAxiMemory("m_axi_", "irq");

    private static List<Port> axiPorts(int dataBits) {
        List<Port> ports = new ArrayList<>(List.of(new Port("clk", 1, Direction.INPUT), new Port("rst", 1, Direction.INPUT),
                new Port("m_axi_rvalid", 1, Direction.INPUT), new Port("m_axi_rlast", 1, Direction.INPUT),
                new Port("m_axi_rdata", dataBits, Direction.INPUT), new Port("m_axi_bvalid", 1, Direction.INPUT),
                new Port("irq", 1, Direction.OUTPUT), new Port("m_axi_wdata", dataBits, Direction.OUTPUT)));
        for (String out : List.of("arvalid", "araddr", "arlen", "rready", "awvalid", "awaddr", "wvalid", "wlast",
                "bready")) {
            ports.add(new Port("m_axi_" + out, out.endsWith("addr") ? 32 : out.equals("arlen") ? 8 : 1, Direction.OUTPUT));
        }
        return ports;
    }

    @Test
    void thePlainBuildKeepsItsHashAndOptionsMoveIt() {
        List<Path> src = List.of(CosimBench.referenceDesign());
        String plain = ModelBuilder.designHash(src, "mac8", List.of(), "Verilator 5.006");
        assertEquals(plain, ModelBuilder.designHash(src, "mac8", List.of(), "Verilator 5.006", BuildOptions.DEFAULT));
        String axi = ModelBuilder.designHash(src, "mac8", List.of(), "Verilator 5.006", AXI);
        String fast = ModelBuilder.designHash(src, "mac8", List.of(), "Verilator 5.006",
                BuildOptions.DEFAULT.withVerilatorFlags(BuildOptions.FAST_FLAGS));
        assertNotEquals(plain, axi);
        assertNotEquals(plain, fast);
        assertNotEquals(axi, fast);
        assertTrue(BuildOptions.DEFAULT.isDefault());
        assertFalse(AXI.isDefault());
    }

    @Test
    void tracingIsAnOptionOfItsOwnThatMovesTheHash() {
        assertFalse(ModelBuilder.VERILATOR_FLAGS.contains(BuildOptions.TRACE_FLAG), "plain builds do not trace");
        assertFalse(BuildOptions.DEFAULT.traced());
        BuildOptions traced = AXI.withVerilatorFlags(BuildOptions.FAST_FLAGS).withTrace();
        assertTrue(traced.traced());
        assertEquals(traced, traced.withTrace(), "adding tracing twice is adding it once");
        assertEquals("m_axi_", traced.axiPrefix(), "the other options are kept");
        assertTrue(traced.verilatorFlags().containsAll(BuildOptions.FAST_FLAGS));
        List<Path> src = List.of(CosimBench.referenceDesign());
        assertNotEquals(ModelBuilder.designHash(src, "mac8", List.of(), "Verilator 5.006"),
                ModelBuilder.designHash(src, "mac8", List.of(), "Verilator 5.006", BuildOptions.DEFAULT.withTrace()));
    }

    @Test
    void theAxiMemoryIsFilledForACompletePortSet() {
        String cpp = NativeSources.axiMemory(ModelBuilder.template(ModelBuilder.AXI_TEMPLATE), axiPorts(128), "m_axi_",
                "irq");
        assertFalse(cpp.contains("@"), "every slot filled");
        assertTrue(cpp.contains("AXI_DATA_BITS = 128;"));
        assertTrue(cpp.contains("m->m_axi_rdata") && cpp.contains("m->irq"));
    }

    @Test
    void aMissingOrMisshapenSignalIsRefusedByName() {
        List<Port> noReady = new ArrayList<>(axiPorts(128));
        noReady.removeIf(p -> p.name().equals("m_axi_rready"));
        String template = ModelBuilder.template(ModelBuilder.AXI_TEMPLATE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NativeSources.axiMemory(template, noReady, "m_axi_", "irq"));
        assertTrue(e.getMessage().contains("output 'm_axi_rready'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NativeSources.axiMemory(template, axiPorts(12), "m_axi_", "irq"));
        assertThrows(IllegalArgumentException.class, () -> NativeSources.axiMemory(template, axiPorts(128), "m_axi_", "rst"));
        assertThrows(IllegalArgumentException.class, () -> new BuildOptions("m_axi_", null, List.of()));
    }
}
