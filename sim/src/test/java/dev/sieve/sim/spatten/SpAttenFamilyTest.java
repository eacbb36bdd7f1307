package dev.sieve.sim.spatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.sim.cli.Simulate;
import dev.sieve.sim.family.SweepCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code examples/sweeps/small-spatten.yaml} through the SpAtten family: 4 points on BERT-Base at 128 tokens. */
class SpAttenFamilyTest {

    @TempDir
    Path tmp;

    @Test
    void exampleSweepAgreesWithSimulateSpatten() throws Exception {
        Path spec = Path.of("../examples/sweeps/small-spatten.yaml").toAbsolutePath().normalize();
        Path out = tmp.resolve("sweep");
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", out.toString(), "--threads", "2"));
        List<CSVRecord> points = SweepCsv.read(out.resolve("points.csv"));
        assertEquals(4, points.size(), "topk_engines [1, 4] x token_prune_ratio [0.5, 0.87]");

        // the default point of `simulate spatten` (paper hardware, 1 engine, 87% of tokens pruned)
        Path cli = tmp.resolve("cli");
        assertEquals(0, Simulate.run("spatten", "--workload", "bert-base", "--seq-len", "128", "--functional-tokens",
                "0", "--out", cli.toString()));
        List<CSVRecord> breakdown = SweepCsv.read(cli.resolve("breakdown.csv"));
        CSVRecord sweepPoint = points.stream().filter(r -> r.get("topk_engines").equals("1")
                && r.get("token_prune_ratio").equals("0.87")).findFirst().orElseThrow();
        assertEquals(breakdown.get(breakdown.size() - 1).get("cycles"), sweepPoint.get("cycles"), "all techniques on");
        assertEquals(breakdown.get(0).get("cycles"), sweepPoint.get("dense_cycles"), "the dense datapath");
        assertEquals(breakdown.get(breakdown.size() - 1).get("dram_bytes"), sweepPoint.get("dram_bytes"));
        assertEquals(breakdown.get(breakdown.size() - 1).get("energy_pJ"), sweepPoint.get("energy_pJ"), "same table");
        assertEquals(breakdown.get(0).get("energy_pJ"), sweepPoint.get("dense_energy_pJ"));

        for (CSVRecord r : points) {
            // engines select in parallel: four are faster than one at the same pruning; they move no bytes
            CSVRecord four = points.stream().filter(x -> x.get("topk_engines").equals("4")
                    && x.get("token_prune_ratio").equals(r.get("token_prune_ratio"))).findFirst().orElseThrow();
            assertTrue(Long.parseLong(four.get("cycles")) <= Long.parseLong(r.get("cycles")), r.toString());
            assertEquals(four.get("dram_bytes"), r.get("dram_bytes"));
        }
        // pruning more tokens fetches fewer bytes
        assertTrue(Long.parseLong(sweepPoint.get("dram_bytes")) < Long.parseLong(points.get(0).get("dram_bytes")));
        // one layers.csv row per BERT-Base layer (12) and point
        assertEquals(4 * 12, SweepCsv.read(out.resolve("layers.csv")).size());
        assertTrue(Files.isRegularFile(out.resolve("plots").resolve("layer_cycles.png")));
    }

    @Test
    void valuesAreCheckedByTheRecordWithTheSpecLine() throws Exception {
        Path spec = tmp.resolve("s.yaml");
        Files.writeString(spec, "accelerator: spatten\nworkloads: [bert-base:64]\nparameters:\n  topk_comparators: [16, 12]\n");
        assertBad(spec, spec + ":4: parameters.topk_comparators: value '12' is not allowed (topk_comparators = 12 is out"
                + " of range; allowed a power of two in 2 .. 64)");
        // a rule between fields is the point's: 6-bit words cannot keep the default 8 MSBs
        Files.writeString(spec, "accelerator: spatten\nworkloads: [bert-base:64]\nparameters:\n  word_bits: [6]\n");
        assertBad(spec, "is not valid: msb_bits = 8 is out of range; allowed 1 .. 6; add a constraint");
        Files.writeString(spec, "accelerator: spatten\nworkloads: [gpt2-small:64]\n");
        assertBad(spec, spec + ":2: workloads: 'gpt2-small:64' is malformed");
    }

    private void assertBad(Path spec, String expected) throws Exception {
        SweepCsv.assertSweepFails(spec, tmp.resolve("bad"), expected);
    }
}
