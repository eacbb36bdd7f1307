package dev.sieve.sim.sat;

import dev.sieve.arch.sat.SatConfig;
import dev.sieve.sim.cli.Simulate;
import dev.sieve.tools.ResourceCache;
import dev.sieve.tools.ResourceReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code sweep --resources} joins the Yosys estimate of one PE, times R*C, into points.csv. */
class SatFamilyTest {

    @Test
    void resourceColumnsScaleThePeEstimateByTheArraySize(@TempDir Path tmp) throws Exception {
        Path topo = Path.of("../examples/topologies/resnet18_cifar10.csv").toAbsolutePath().normalize();
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, "accelerator: sat\nworkloads: ['" + topo + "']\nparameters:\n  array: [4x4, 4x8]\n"
                + "  nm: ['1:4']\n  multipliers: [1]\n  format: [int8]\n");
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", tmp.resolve("out").toString(), "--resources"));
        List<String> lines = Files.readAllLines(tmp.resolve("out").resolve("points.csv"));
        List<String> head = Arrays.asList(lines.get(0).split(","));
        Map<String, String> p = Map.of("array", "4x4", "nm", "1:4", "multipliers", "1", "format", "int8",
                "buffer_kib", "512", "dram_bytes_per_cycle", "384", "dataflow", "interleave", "pass", "train",
                "batch", "1", "clock_mhz", "200");
        SatConfig cfg = SatFamily.config(p);
        ResourceReport pe = ResourceCache.estimate(new dev.sieve.hdl.sat.SparsePe(cfg).build());
        String[] small = lines.get(1).split(",");
        String[] wide = lines.get(2).split(",");
        // the PE does not depend on the array size: 16 and 32 copies of the same unit
        assertEquals(16L * pe.dsp(), Long.parseLong(small[head.indexOf("dsp")]));
        assertEquals(32L * pe.lutSites(), Long.parseLong(wide[head.indexOf("lut")]));
        assertEquals(32L * pe.ff(), Long.parseLong(wide[head.indexOf("ff")]));
    }

    @Test
    void aPointTheGeneratorsDoNotBuildFailsUpFrontWithTheRecordsMessage(@TempDir Path tmp) throws Exception {
        // 128 rows: SatConfig models it (1 .. 1024) but its RTL rule builds 1 .. 64
        Path topo = Path.of("../examples/topologies/resnet18_cifar10.csv").toAbsolutePath().normalize();
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, "accelerator: sat\nworkloads: ['" + topo + "']\nparameters:\n  array: [4x4, 128x4]\n");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        int exit;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            exit = Simulate.run("sweep", spec.toString(), "--out", tmp.resolve("out").toString(), "--resources");
        } finally {
            System.setErr(old);
        }
        assertEquals(2, exit);
        String message = err.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
        org.junit.jupiter.api.Assertions.assertTrue(message.contains(" has no RTL for --resources: "
                + SatConfig.of(128, 4).rtlLimit().orElseThrow() + "; "), message);
        assertEquals(1, message.lines().count(), message);
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }
}
