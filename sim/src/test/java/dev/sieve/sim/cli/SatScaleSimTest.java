package dev.sieve.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** SCALE-Sim compatibility of {@code simulate sat}: its INI configs in, its COMPUTE_REPORT.csv out. */
class SatScaleSimTest {

    @TempDir
    Path tmp;

    private static final String TOPOLOGY = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
            + "Channels, Num Filter, Strides,\nconv1, 34, 34, 3, 3, 3, 64, 1,\nconv2, 18, 18, 3, 3, 64, 128, 1,\n"
            + "conv3, 10, 10, 3, 3, 128, 256, 1,\n";

    private static final String CONFIG = String.join("\n", "[general]", "run_name = test", "",
            "[architecture_presets]", "ArrayHeight:    16", "ArrayWidth:     8", "IfmapSramSzkB:    256",
            "FilterSramSzkB:   256", "OfmapSramSzkB:    128", "IfmapOffset:    0", "FilterOffset:   10000000",
            "OfmapOffset:    20000000", "Bandwidth : 32", "Dataflow : ws", "", "[run_presets]",
            "InterfaceBandwidth: CALC", "");

    @Test
    void configSetsTheArrayAndComputeReportHasScaleSimsColumns() throws Exception {
        Files.writeString(tmp.resolve("t.csv"), TOPOLOGY);
        Files.writeString(tmp.resolve("s.cfg"), CONFIG);
        Path out = tmp.resolve("out");
        CliRun.Result r = CliRun.run("sat", "--scalesim-config", tmp.resolve("s.cfg").toString(), "--topology",
                tmp.resolve("t.csv").toString(), "--nm", "2:4", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> summary = Files.readAllLines(out.resolve("sat_summary.csv"));
        assertTrue(summary.get(1).contains(",16x8,"), "array from ArrayHeight x ArrayWidth: " + summary.get(1));
        List<String> report = Files.readAllLines(out.resolve("COMPUTE_REPORT.csv"));
        assertEquals("LayerID,Total Cycles,Stall Cycles,Overall Util %,Mapping Efficiency %,Compute Util %", report.get(0));
        assertEquals(4, report.size(), "a header and one row per layer");
        long total = report.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[1])).sum();
        String last = r.out().lines().reduce((a, b) -> b).orElseThrow();
        long cycles = Long.parseLong(last.replaceAll(".* gemm_cycles=(\\d+) .*", "$1"));
        // the per-layer totals add up to the GEMM step's cycles minus the pre-generation cycles not hidden
        assertTrue(total <= cycles && total > cycles * 0.99, total + " vs " + cycles);
        for (String row : report.subList(1, report.size())) {
            double util = Double.parseDouble(row.split(",")[3]);
            assertTrue(util > 0 && util <= 100, row);
        }
    }

    @Test
    void arrayAndConfigTogetherConflict() throws Exception {
        Files.writeString(tmp.resolve("t.csv"), TOPOLOGY);
        Files.writeString(tmp.resolve("s.cfg"), CONFIG);
        CliRun.Result r = CliRun.run("sat", "--scalesim-config", tmp.resolve("s.cfg").toString(), "--array", "8x8", "--topology",
                tmp.resolve("t.csv").toString(), "--out", tmp.resolve("out").toString());
        assertEquals(2, r.exit());
        assertEquals("sat: --array conflicts with --scalesim-config " + tmp.resolve("s.cfg")
                + ", which sets it; give one of the two", r.err().strip());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void badConfigNamesFileLineAndKey() throws Exception {
        Files.writeString(tmp.resolve("t.csv"), TOPOLOGY);
        Files.writeString(tmp.resolve("s.cfg"), CONFIG.replace("ArrayWidth:     8", "ArrayWidht:     8"));
        CliRun.Result r = CliRun.run("sat", "--scalesim-config", tmp.resolve("s.cfg").toString(), "--topology",
                tmp.resolve("t.csv").toString(), "--out", tmp.resolve("out").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("sat: " + tmp.resolve("s.cfg") + ":6: ArrayWidht: unknown key in [architecture_presets]"),
                r.err());
        Files.writeString(tmp.resolve("s.cfg"), CONFIG.replace("Bandwidth : 32", "Bandwidth : fast"));
        r = CliRun.run("sat", "--scalesim-config", tmp.resolve("s.cfg").toString(), "--topology",
                tmp.resolve("t.csv").toString(), "--out", tmp.resolve("out").toString());
        assertTrue(r.err().startsWith("sat: " + tmp.resolve("s.cfg") + ":13: Bandwidth: 'fast' is not a whole number"),
                r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }
}
