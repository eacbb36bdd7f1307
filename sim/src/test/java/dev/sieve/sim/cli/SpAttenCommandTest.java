package dev.sieve.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.sim.spatten.SpAttenReport;
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

/** {@code simulate spatten}: CSVs with units, the breakdown, one final line; bad input is one line and exit 2. */
class SpAttenCommandTest {

    static final String HEADER = "iteration_id,layer_id,head_id,embedding_length_D,sentence_length_L,key_fetch_num,"
            + "quant_key_bit,quant_query_bit,auto_requant_thres,if_requant,auto_requant_incre,value_fetch_num,"
            + "quant_value_bit,if_accumulate_importance,if_rescale_previous_importance,if_topk,topk\n";

    @TempDir
    Path tmp;

    /** Two generation steps of two layers of two heads over 64 tokens; layer 1 pruned and quantized. */
    private Path smallTrace() throws Exception {
        StringBuilder b = new StringBuilder(HEADER);
        for (int it = 0; it < 2; it++) {
            for (int h = 0; h < 2; h++) {
                b.append(it).append(",0,").append(h).append(",64.0,").append(64 + it)
                        .append(",").append(64 + it).append(",-1,-1,-1,False,-1,").append(64 + it)
                        .append(",-1,True,False,False,-1\n");
                b.append(it).append(",1,").append(h).append(",64.0,").append(64 + it)
                        .append(",32,6,16,0.05,").append(h == 0 ? "True" : "False").append(",4,8,6,True,False,False,-1\n");
            }
        }
        b.append("configs/x.yml,,,,,,,,,,,,,,,,\n");
        Path f = tmp.resolve("tiny.csv");
        Files.writeString(f, b.toString());
        return f;
    }

    @Test
    void traceRunWritesCsvsWithUnitsAndEndsWithOneSummaryLine() throws Exception {
        Path out = tmp.resolve("out");
        CliRun.Result r = CliRun.run("spatten", "--trace", smallTrace().toString(), "--out", out.toString(), "--functional-tokens", "32");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("spatten: dram_reduction=[0-9.]+ speedup_vs_dense=[0-9.]+ cycles=[0-9]+ wall_s=[0-9.]+"
                + " energy_pJ=[0-9]+ power_W=[0-9.]+ dram_reduction_fp32=[0-9.]+"), last);
        // the last line's energy is the breakdown's last (every technique on) row's
        List<String> breakdown = Files.readAllLines(out.resolve("breakdown.csv"));
        String[] fullRow = breakdown.get(breakdown.size() - 1).split(",");
        int energyColumn = List.of(breakdown.get(0).split(",")).indexOf("energy_pJ");
        double csvEnergy = Double.parseDouble(fullRow[energyColumn]);
        double lineEnergy = Double.parseDouble(last.replaceAll(".*energy_pJ=([0-9]+).*", "$1"));
        assertEquals(csvEnergy, lineEnergy, 1e-5 * csvEnergy + 1);
        assertTrue(breakdown.get(0).endsWith(",hbm_energy_pJ,sram_energy_pJ,mac_energy_pJ,topk_energy_pJ,energy_pJ,"
                + "dram_reduction_fp32_x,score_bound_fraction,topk_bound_fraction,value_bound_fraction,"
                + "hbm_bound_fraction"), breakdown.get(0));
        // the four bound fractions of a step add up to 1
        double sum = 0;
        for (int i = fullRow.length - 4; i < fullRow.length; i++) {
            sum += Double.parseDouble(fullRow[i]);
        }
        assertEquals(1.0, sum, 1e-5);
        // FP32 dense = 64 x 32 bits = 256 B per row against 96 B at 12 bits: the reductions differ by 256/96
        double fp32 = Double.parseDouble(last.replaceAll(".*dram_reduction_fp32=([0-9.]+).*", "$1"));
        double twelve = Double.parseDouble(last.replaceAll(".*dram_reduction=([0-9.]+) .*", "$1"));
        assertEquals(twelve * 256 / 96, fp32, 0.02);
        assertEquals(1, lines.stream().filter(l -> l.startsWith("spatten: dram_reduction=")).count());
        assertTrue(r.out().contains("+ top-k engine"), r.out());
        assertTrue(r.out().contains("pruning off equals dense exactly=true"), r.out());
        List<String> csv = Files.readAllLines(out.resolve("layers.csv"));
        assertEquals(String.join(",", SpAttenReport.LAYER_COLUMNS), csv.get(0));
        assertEquals(3, csv.size(), "header + two layers");
        assertTrue(csv.get(0).contains("k_dense_bytes") && csv.get(0).contains("cycles"));
        assertTrue(Files.readString(out.resolve("breakdown.csv")).startsWith("step,technique,cycles,speedup_x"));
        try (var files = Files.list(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void layerOneHalvesTheKeysAndQuantizesSoItsKReductionIsComputable() throws Exception {
        Path out = tmp.resolve("o2");
        assertEquals(0, CliRun.run("spatten", "--trace", smallTrace().toString(), "--out", out.toString(),
                "--functional-tokens", "0").exit());
        String layer1 = Files.readAllLines(out.resolve("layers.csv")).get(2);
        // dense K: 2 heads x (64 + 65) tokens x 96 B = 24,768; SpAtten: 4 x 32 keys x 48 B + 1 refetching head
        // per step x 32 keys x 32 B of LSBs = 6,144 + 2,048 = 8,192; K reduction 24,768 / 8,192 = 3.0234375,
        // printed to ReportWriter's 6 significant digits
        assertTrue(layer1.startsWith("1,2,2,2,"), layer1);
        assertTrue(layer1.contains(",24768,8192,3.02344,"), layer1);
    }

    @Test
    void aDenseTraceReportsExactlyOneForReductionAndSpeedup() throws Exception {
        // every row keeps all L keys and values at the full word, no refetch: pruning, the top-k engine
        // (no selection when values >= keys) and quantization change nothing, at either scale
        StringBuilder b = new StringBuilder(HEADER);
        for (int it = 0; it < 3; it++) {
            for (int layer = 0; layer < 2; layer++) {
                for (int h = 0; h < 4; h++) {
                    int l = 100 + it;
                    b.append(it).append(',').append(layer).append(',').append(h).append(",64.0,").append(l).append(',')
                            .append(l).append(",-1,-1,-1,False,-1,").append(l).append(",-1,True,False,False,-1\n");
                }
            }
        }
        Path f = tmp.resolve("dense.csv");
        Files.writeString(f, b.toString());
        for (String hw : List.of("spatten", "spatten-1/8")) {
            Path out = tmp.resolve("dense-" + hw.replace('/', '_'));
            CliRun.Result r = CliRun.run("spatten", "--trace", f.toString(), "--hardware", hw, "--out", out.toString(),
                    "--functional-tokens", "0");
            assertEquals(0, r.exit(), r.err());
            List<String> lines = r.out().lines().toList();
            String last = lines.get(lines.size() - 1);
            assertTrue(last.startsWith("spatten: dram_reduction=1.00 speedup_vs_dense=1.00 "), last);
            // FP32: 256 B per row instead of 96
            assertTrue(last.endsWith(" dram_reduction_fp32=2.67"), last);
        }
    }

    @Test
    void oneEighthScaleRunsTheReleasedDefaultConfiguration() throws Exception {
        CliRun.Result r = CliRun.run("spatten", "--trace", smallTrace().toString(), "--hardware", "spatten-1/8",
                "--out", tmp.resolve("e").toString(), "--functional-tokens", "0");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("on spatten-1/8 (64+64 multipliers, 2 HBM channels, top-k 1 x 16 comparators)"),
                r.out());
        badInput("hardware preset 'spatten-1/4' is unknown; allowed: spatten, spatten-1/8", "spatten", "--trace",
                smallTrace().toString(), "--hardware", "spatten-1/4", "--out", tmp.resolve("never").toString());
        badInput("topk_comparators = 12 is out of range; allowed a power of two in 2 .. 64", "spatten", "--trace",
                smallTrace().toString(), "--topk-comparators", "12", "--out", tmp.resolve("never").toString());
        assertFalse(Files.exists(tmp.resolve("never")), "nothing written");
    }

    @Test
    void workloadPresetRuns() {
        CliRun.Result r = CliRun.run("spatten", "--workload", "bert-base", "--seq-len", "128", "--out", tmp.resolve("b").toString(),
                "--functional-tokens", "16");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("12 layers x 12 heads"), r.out());
    }

    private void badInput(String message, String... args) {
        CliRun.Result r = CliRun.run(args);
        assertEquals(2, r.exit(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("spatten: "), r.err());
        assertTrue(r.err().contains(message), r.err());
    }

    @Test
    void nonNumericTraceFieldNamesFileLineAndColumn() throws Exception {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, HEADER + "0,0,0,64.0,99x,64,-1,-1,-1,False,-1,64,-1,True,False,False,-1\n");
        badInput(f + ":2: column 'sentence_length_L' = '99x' is not a number", "spatten", "--trace", f.toString());
    }

    @Test
    void traceWithKAboveNIsRejected() throws Exception {
        Path f = tmp.resolve("k.csv");
        Files.writeString(f, HEADER + "0,0,0,64.0,64,32,-1,-1,-1,False,-1,40,-1,True,False,False,-1\n");
        badInput(f + ":2: column 'value_fetch_num' = 40 is more than key_fetch_num = 32 (top-k with k > n)",
                "spatten", "--trace", f.toString());
    }

    @Test
    void missingColumnIsRejected() throws Exception {
        Path f = tmp.resolve("c.csv");
        Files.writeString(f, "iteration_id,layer_id,head_id\n0,0,0\n");
        badInput(f + ":1: missing column 'embedding_length_D'", "spatten", "--trace", f.toString());
    }

    @Test
    void pruningRatioOutsideZeroToOneIsRejected() {
        badInput("token_prune_ratio = 1.0 is out of range; allowed [0, 1)", "spatten", "--workload", "gpt2-small",
                "--token-prune", "1.0");
    }

    @Test
    void headDimsThatDoNotDivideAreRejected() {
        badInput("model_dim = 768 does not divide into heads = 7", "spatten", "--workload", "gpt2-small",
                "--heads", "7");
    }

    @Test
    void unknownWorkloadAndMissingInputAreRejected() {
        badInput("unknown workload 'gpt5'", "spatten", "--workload", "gpt5");
        badInput("Missing required argument", "spatten");
    }
}
