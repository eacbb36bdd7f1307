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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code simulate sat}: the CSVs, the last line, and one-line errors with exit 2 and no output on bad input. */
class SatCommandTest {

    private static final String RESNET = "../examples/topologies/resnet18_cifar10.csv";
    private static final String HEADER = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,";

    @TempDir
    Path tmp;

    @Test
    void trainingStepWritesBothCsvsAndEndsWithTheSummaryLine() throws Exception {
        Path dir = tmp.resolve("out");
        CliRun.Result r = CliRun.run("sat", "--topology", RESNET, "--array", "32x32", "--nm", "2:8", "--pass", "train", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        // the issue-19 keys come after the old ones, which keep their form (cycles: now the whole step)
        assertTrue(r.last().matches("sat: cycles=\\d+ dense_cycles=\\d+ speedup_vs_dense=\\d+\\.\\d{3} ideal=2\\.000 wall_s=\\d+\\.\\d{3}"
                + " rtl=buildable gemm_cycles=\\d+ dense_gemm_cycles=\\d+ gemm_speedup=\\d+\\.\\d{3} non_gemm=inferred"), r.last());
        assertTrue(r.out().lines().findFirst().orElseThrow().startsWith("note: " + RESNET + ": non-GEMM operations of"
                + " every layer inferred from the layer shapes"), r.out());
        assertFalse(r.out().contains("modelled only"), "a buildable point has no note");
        // a buildable point also states what the generated accelerator's DRAM layout would cost on these schedules
        // (62 GEMM passes: 21 forward, 20 data gradients, 21 weight gradients)
        assertTrue(r.out().lines().anyMatch(l -> l.matches("accelerator: with the generated RTL's DRAM layout .*"
                + " the \\d+ of 62 GEMM passes whose schedules it runs take \\d+ cycles here, \\d+\\.\\d{3}x the"
                + " model's \\d+; taking away beats .* im2col 1\\.000x .*")), r.out());
        List<String> rows = Files.readAllLines(dir.resolve("sat_layers.csv"));
        assertEquals(String.join(",", SatCommand.LAYER_COLUMNS), rows.get(0));
        // fwd + dgrad (not conv1) + wgrad + pregen rows, then the vector unit's: a forward job per layer, a
        // backward job per layer but fc (its softmax gradient is made in the forward job), an update per layer
        assertEquals(1 + 21 + 20 + 21 + 21 + 21 + 20 + 21, rows.size());
        assertTrue(rows.get(1).startsWith("conv1,0,fwd,2:8,"), rows.get(1));
        List<String> summary = Files.readAllLines(dir.resolve("sat_summary.csv"));
        assertEquals(2, summary.size());
        long cycles = Long.parseLong(r.last().replaceAll(".*cycles=(\\d+) dense.*", "$1"));
        assertTrue(summary.get(1).contains("," + cycles + ","), summary.get(1));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "the two CSVs and COMPUTE_REPORT.csv, no temporary files left");
        }
    }

    @Test
    void aPostOpsColumnIsUsedAndNamedOnTheLastLineAndAWiderVectorUnitShortensTheStep() {
        String step = "../examples/topologies/resnet18_cifar10_step.csv";
        CliRun.Result narrow = CliRun.run("sat", "--topology", step, "--batch", "8", "--vector-lanes", "16", "--out",
                tmp.resolve("a").toString());
        CliRun.Result wide = CliRun.run("sat", "--topology", step, "--batch", "8", "--vector-lanes", "256", "--out",
                tmp.resolve("b").toString());
        assertEquals(0, narrow.exit(), narrow.err());
        assertTrue(narrow.last().endsWith(" non_gemm=given"), narrow.last());
        assertFalse(narrow.out().contains("inferred"), narrow.out());
        long a = Long.parseLong(narrow.last().replaceAll("sat: cycles=(\\d+) .*", "$1"));
        long b = Long.parseLong(wide.last().replaceAll("sat: cycles=(\\d+) .*", "$1"));
        String gemmA = narrow.last().replaceAll(".* gemm_cycles=(\\d+) .*", "$1");
        assertEquals(gemmA, wide.last().replaceAll(".* gemm_cycles=(\\d+) .*", "$1"), "the GEMM part does not change");
        assertTrue(b < a, b + " vs " + a);
    }

    @Test
    void aPoolingLargerThanItsMapIsOneLineNamingFileLineAndColumn() throws Exception {
        Path topo = tmp.resolve("pool.csv");
        Files.writeString(topo, HEADER + " Post Ops,\na, 6, 6, 3, 3, 4, 8, 1, relu+maxpool8,\nb, 1, 1, 1, 1, 8, 10, 1, softmax,\n");
        CliRun.Result r = CliRun.run("sat", "--topology", topo.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, r.exit());
        assertEquals("sat: " + topo + ":2: field 'Post Ops': maxpool8 needs an input of at least 8 x 8; it has 4 x 4",
                r.err().strip());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void anArrayBeyondTheGeneratorsIsNamedModelledOnlyUpFrontAndOnTheLastLine() {
        // SatConfig models 1 .. 1024 rows; its RTL rule builds 1 .. 64, so 128 x 128 is modelled only
        CliRun.Result r = CliRun.run("sat", "--topology", RESNET, "--array", "128x128", "--nm", "2:8", "--pass", "forward",
                "--out", tmp.resolve("big").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("note: modelled only, no RTL for this array: rows = 128 is beyond the RTL generators (the point is"
                + " modelled only); RTL allowed 1 .. 64", r.out().lines().findFirst().orElseThrow());
        assertTrue(r.last().contains(" rtl=modelled_only "), r.last());
        assertFalse(r.out().contains("accelerator:"), "no generated accelerator to compare with");
    }

    @Test
    void forwardPassIdealIsMOverN() {
        CliRun.Result r = CliRun.run("sat", "--topology", RESNET, "--array", "16x16", "--nm", "2:4", "--pass", "forward", "--out",
                tmp.resolve("f").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.last().contains(" ideal=2.000 "), r.last());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing trailing comma|c1, 34, 34, 3, 3, 3, 64, 1|2:8|sat: bad.csv:2: field 'trailing comma': the row does not end with ','",
        "non-numeric value|c1, 34, 34, 3, 3, x, 64, 1,|2:8|sat: bad.csv:2: field 'Channels': 'x' is not a whole number",
        "negative value|c1, 34, 34, 3, 3, 3, -64, 1,|2:8|sat: bad.csv:2: field 'Num Filter': -64 is out of range",
        "zero dimension|c1, 0, 34, 3, 3, 3, 64, 1,|2:8|sat: bad.csv:2: field 'IFMAP Height': 0 is out of range",
        "N greater than M|c1, 34, 34, 3, 3, 3, 64, 1,|5:4|sat: --nm: N:M kept count N = 5 is not allowed for M = 4",
        "M not a power of two|c1, 34, 34, 3, 3, 3, 64, 1,|2:6|sat: --nm: N:M group size M = 6 is not allowed",
        "pattern the array lacks|c1, 34, 34, 3, 3, 3, 64, 1,|1:2|sat: --nm: N:M pattern 1:2 is not supported by this array; allowed: dense, 1:4, 2:4, 2:8, 1:8, 4:8",
    })
    void badInputIsOneLineExitTwoAndWritesNothing(String what, String row, String nm, String message) throws Exception {
        Path topo = tmp.resolve("bad.csv");
        Files.writeString(topo, HEADER + "\n" + row + "\n");
        Path dir = tmp.resolve("never");
        CliRun.Result r = CliRun.run("sat", "--topology", topo.toString(), "--nm", nm, "--out", dir.toString());
        assertEquals(2, r.exit(), what);
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().replace(topo.toString(), "bad.csv").startsWith(message), what + ": " + r.err());
        assertFalse(Files.exists(dir), what);
        assertEquals("", r.out(), what);
    }

    @Test
    void unsupportedSparsityInARowNamesItsLine() throws Exception {
        Path topo = tmp.resolve("s.csv");
        Files.writeString(topo, HEADER + " Sparsity,\na, 8, 8, 3, 3, 8, 8, 1, 2:4,\nb, 8, 8, 3, 3, 8, 8, 1, 1:2,\n");
        CliRun.Result r = CliRun.run("sat", "--topology", topo.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, r.exit());
        assertEquals("sat: " + topo + ":3: field 'Sparsity': N:M pattern 1:2 is not supported by this array; "
                + "allowed: dense, 1:4, 2:4, 2:8, 1:8, 4:8", r.err().strip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed array|--array|32by32|sat: --array '32by32' is malformed; write RxC, for example 32x32",
        "zero rows|--array|0x8|sat: --array: rows = 0 is out of range; allowed 1 .. 1024",
        "zero multipliers|--multipliers|0|sat: --multipliers: multipliersPerPe = 0 is out of range; allowed 1 .. 64",
        "bad format|--format|fp8|sat: --format: number format 'fp8' is not allowed; allowed: int8, bf16",
        "zero bandwidth|--dram-bytes-per-cycle|0|sat: --dram-bytes-per-cycle: dramBytesPerCycle = 0.0 is out of range; allowed 0.0009765625 .. 65536",
        "repeat out of range|--repeat|-1|sat: --repeat = -1 is out of range; allowed 0 .. 100000",
        "bad pass|--pass|backward|sat: --pass 'backward' is not allowed; allowed: train, forward",
        "bad segments|--segments|3|sat: --segments: rowSegments = 3 is not allowed for rows = 32",
        "missing file|--topology|no/such.csv|sat: no/such.csv: no such file",
        "no vector lanes|--vector-lanes|0|sat: --vector-lanes: vectorLanes = 0 is out of range; allowed 1 .. 4096",
        "too many vector ops|--vector-ops|17|sat: --vector-ops: vectorOpsPerLane = 17 is out of range; allowed 1 .. 16",
        "no vector buffer|--vector-buffer-kib|0|sat: --vector-buffer-kib: vectorBufferKiB = 0 is out of range; allowed 1 .. 1048576",
    })
    void badOptionsAreOneLineExitTwo(String what, String option, String value, String message) {
        Path dir = tmp.resolve("never");
        CliRun.Result r = option.equals("--topology")
                ? CliRun.run("sat", option, value, "--out", dir.toString())
                : CliRun.run("sat", "--topology", RESNET, option, value, "--out", dir.toString());
        assertEquals(2, r.exit(), what);
        assertTrue(r.err().startsWith(message), what + ": " + r.err());
        assertEquals(1, r.err().lines().count());
        assertFalse(Files.exists(dir));
    }
}
