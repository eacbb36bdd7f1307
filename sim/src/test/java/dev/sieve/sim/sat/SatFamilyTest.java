package dev.sieve.sim.sat;

import dev.sieve.arch.sat.SatConfig;
import dev.sieve.sim.cli.Simulate;
import dev.sieve.hdl.sat.SatAccelerator;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import dev.sieve.tools.HierarchicalEstimate;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sweep --resources} joins the Yosys estimate of each point's whole generated accelerator into points.csv. */
class SatFamilyTest {

    @Test
    void resourceColumnsAreTheWholeAcceleratorsModuleByModuleEstimate(@TempDir Path tmp) throws Exception {
        Path topo = Path.of("../examples/topologies/resnet18_cifar10.csv").toAbsolutePath().normalize();
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, "accelerator: sat\nworkloads: ['" + topo + "']\nparameters:\n  array: [2x2, 2x4]\n"
                + "  nm: ['1:4']\n  multipliers: [1]\n  format: [int8]\n  buffer_kib: [1]\n");
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", tmp.resolve("out").toString(), "--resources"));
        List<String> lines = Files.readAllLines(tmp.resolve("out").resolve("points.csv"));
        List<String> head = Arrays.asList(lines.get(0).split(","));
        long[] lut = new long[2];
        for (int i = 0; i < 2; i++) {
            String array = i == 0 ? "2x2" : "2x4";
            Map<String, String> p = Map.of("array", array, "nm", "1:4", "multipliers", "1", "format", "int8",
                    "buffer_kib", "1", "dram_bytes_per_cycle", "384", "dataflow", "interleave", "pass", "train",
                    "batch", "1", "clock_mhz", "200");
            SatConfig cfg = SatFamily.config(p);
            String[] row = lines.get(1 + i).split(",");
            assertEquals(array, row[head.indexOf("array")]);
            ResourceReport whole = HierarchicalEstimate.estimate(
                    new SatAccelerator(SatAcceleratorLayout.of(cfg)).build()).total();
            assertEquals(whole.lutSites(), Long.parseLong(row[head.indexOf("lut")]));
            assertEquals(whole.ff(), Long.parseLong(row[head.indexOf("ff")]));
            lut[i] = Long.parseLong(row[head.indexOf("lut")]);
            assertEquals(whole.dsp(), Long.parseLong(row[head.indexOf("dsp")]));
            // the buffers count now (the PE-only column had no block RAM at all); Yosys puts a 1 KiB buffer
            // in a RAMB18 or, when it is narrow and shallow enough, in LUT RAM
            double bram = Double.parseDouble(row[head.indexOf("bram36")]);
            assertEquals(whole.bram36(), bram, 1e-9);
            assertTrue(bram > 0, "bram36 " + bram);
            // the old column, one PE times R*C, is a strict lower bound of the whole accelerator
            ResourceReport pe = ResourceCache.estimate(new dev.sieve.hdl.sat.SparsePe(cfg).build());
            long peLuts = (long) cfg.rows() * cfg.cols() * pe.lutSites();
            assertTrue(whole.lutSites() > peLuts, whole.lutSites() + " LUTs vs PEs alone " + peLuts);
            // and so are the PEs' DSPs (the controller's own DSPs vary with its counters' widths in each
            // accelerator, so the whole count need not grow with the array: 13 for 2x2, 11 for 2x4 when written)
            long peDsps = (long) cfg.rows() * cfg.cols() * pe.dsp();
            assertTrue(whole.dsp() >= peDsps, whole.dsp() + " DSPs vs PEs alone " + peDsps);
            assertEquals(whole.logicDepth().orElseThrow().levels(),
                    Integer.parseInt(row[head.indexOf("logic_levels")]));
        }
        assertTrue(lut[1] > lut[0], "twice the PEs, more LUTs: " + Arrays.toString(lut));
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

    @Test
    void sweepsTakeTheVectorUnitsParametersAndReportTheWholeStepBesideTheGemmPasses(@TempDir Path tmp) throws Exception {
        Path topo = Path.of("../examples/topologies/fmnist_cnn.csv").toAbsolutePath().normalize();
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, "accelerator: sat\nworkloads: ['" + topo + "']\nparameters:\n  array: [8x8]\n"
                + "  batch: [8]\n  vector_lanes: [16, 256]\n  vector_buffer_kib: [64]\n");
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", tmp.resolve("out").toString()));
        List<String> lines = Files.readAllLines(tmp.resolve("out").resolve("points.csv"));
        List<String> head = Arrays.asList(lines.get(0).split(","));
        long[] cycles = new long[2];
        for (int i = 0; i < 2; i++) {
            String[] row = lines.get(1 + i).split(",");
            Map<String, String> p = new java.util.HashMap<>();
            for (String k : List.of("array", "nm", "multipliers", "buffer_kib", "dram_bytes_per_cycle", "format",
                    "dataflow", "pass", "batch", "clock_mhz", "vector_lanes", "vector_ops_per_lane", "vector_buffer_kib")) {
                p.put(k, row[head.indexOf(k)]);
            }
            // the row is the model's whole step for that point's vector unit
            SatResult r = SatModel.simulate(SatFamily.config(p), SatFamily.vectorUnit(p),
                    dev.sieve.dataflow.workload.TopologyReader.read(topo),
                    new SatRun(8, dev.sieve.arch.NmPattern.parse(p.get("nm")), true,
                            dev.sieve.dataflow.sat.BackwardMaskSource.DENSE));
            cycles[i] = Long.parseLong(row[head.indexOf("cycles")]);
            assertEquals(r.totalCycles(), cycles[i]);
            assertEquals(r.gemmCycles(), Long.parseLong(row[head.indexOf("gemm_cycles")]));
            assertEquals(r.nonGemmCycles(), Long.parseLong(row[head.indexOf("non_gemm_cycles")]));
        }
        assertEquals(lines.get(1).split(",")[head.indexOf("gemm_cycles")], lines.get(2).split(",")[head.indexOf("gemm_cycles")]);
        assertTrue(cycles[0] != cycles[1], "the vector unit's width changes the whole step: " + Arrays.toString(cycles));
    }
}
