package dev.sieve.sim.piuma;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code examples/sweeps/small-piuma.yaml} through the PIUMA family: SMASH V1 and V3 on 2 and 8 cores. */
class PiumaFamilyTest {

    @TempDir
    Path tmp;

    @Test
    void exampleSweepAgreesWithSimulatePiuma() throws Exception {
        Path spec = Path.of("../examples/sweeps/small-piuma.yaml").toAbsolutePath().normalize();
        Path out = tmp.resolve("sweep");
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", out.toString(), "--threads", "2"));
        List<CSVRecord> points = SweepCsv.read(out.resolve("points.csv"));
        assertEquals(4, points.size());

        // the default machine (8 cores) running SMASH V3 is what `simulate piuma --algo smash-v3` runs
        Path cli = tmp.resolve("cli");
        assertEquals(0, Simulate.run("piuma", "--rmat", "8,8", "--algo", "smash-v3", "--jobs", "1", "--out",
                cli.toString()));
        CSVRecord chip = SweepCsv.read(cli.resolve("piuma_smash-v3.csv")).get(0);
        CSVRecord v3 = points.stream().filter(r -> r.get("algorithm").equals("smash-v3") && r.get("cores").equals("8"))
                .findFirst().orElseThrow();
        for (String c : List.of("cycles", "flops", "nnz_c", "ops", "dram_read_bytes", "hash_probes", "hash_collisions")) {
            assertEquals(chip.get(c), v3.get(c), c);
        }
        // whole runs: no sampling error
        assertEquals(0.0, Double.parseDouble(v3.get("error_pct")));

        // one cores.csv row per core, and their operations add up to the chip's
        List<CSVRecord> cores = SweepCsv.read(out.resolve("cores.csv"));
        assertEquals(2 + 8 + 2 + 8, cores.size());
        for (CSVRecord p : points) {
            List<CSVRecord> mine = cores.stream().filter(c -> c.get("point").equals(p.get("point"))).toList();
            assertEquals(Integer.parseInt(p.get("cores")), mine.size());
            assertEquals(Long.parseLong(p.get("ops")), mine.stream().mapToLong(c -> Long.parseLong(c.get("ops"))).sum());
            // the same product whatever the algorithm and machine
            assertEquals(v3.get("nnz_c"), p.get("nnz_c"));
        }
        assertTrue(Files.isRegularFile(out.resolve("plots").resolve("pareto.png")));
    }

    /**
     * A sampled point of either baseline reports the same cycles and estimated error as the command
     * (the budget forces a sample; the command prints the error with two decimals, the CSV in full).
     */
    @ParameterizedTest(name = "{0} on R-MAT {1}")
    @CsvSource({"inner, '9,8', 20000", "outer, '8,8', 60000"})
    void aSampledPointCarriesTheCommandsErrorEstimate(String algorithm, String rmat, long maxOps) throws Exception {
        Path spec = tmp.resolve(algorithm + ".yaml");
        Files.writeString(spec, "accelerator: piuma\nworkloads: ['rmat:" + rmat + "']\nparameters:\n  algorithm: ["
                + algorithm + "]\n  max_ops: [" + maxOps + "]\n");
        Path out = tmp.resolve(algorithm);
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", out.toString(), "--threads", "1"));
        CSVRecord point = SweepCsv.read(out.resolve("points.csv")).get(0);
        Path cli = tmp.resolve(algorithm + "-cli");
        assertEquals(0, Simulate.run("piuma", "--rmat", rmat, "--algo", algorithm, "--max-ops", Long.toString(maxOps),
                "--jobs", "1", "--no-progress", "--out", cli.toString()));
        CSVRecord chip = SweepCsv.read(cli.resolve("piuma_" + algorithm + ".csv")).get(0);
        assertTrue(Double.parseDouble(point.get("sampled_fraction")) < 1, point.get("sampled_fraction"));
        assertEquals(chip.get("cycles"), point.get("cycles"));
        double err = Double.parseDouble(point.get("error_pct"));
        assertTrue(err > 0, "an error estimate, not empty");
        assertEquals(Double.parseDouble(chip.get("error_pct")), err, 0.005 + 1e-9);
    }

    @Test
    void badWorkloadsNameTheSpecLineOrTheFileLine() throws Exception {
        Path spec = tmp.resolve("s.yaml");
        Files.writeString(spec, "accelerator: piuma\nworkloads:\n  - 'rmat:8,8'\n  - 'rmat:30,8'\n");
        assertBad(spec, spec + ":4: workloads: 'rmat:30,8': R-MAT scale = 30 is out of range; allowed 1 .. 26");
        Files.writeString(spec, "accelerator: piuma\nworkloads: ['rmat:8']\n");
        assertBad(spec, spec + ":2: workloads: 'rmat:8' is malformed");
        Path mtx = tmp.resolve("a.mtx");
        Files.writeString(mtx, "%%MatrixMarket matrix coordinate real general\n4 4 2\n1 1 1.0\n2 9 2.0\n");
        Files.writeString(spec, "accelerator: piuma\nworkloads: [a.mtx]\n");
        assertBad(spec, mtx + ":4:");
        Files.writeString(spec, "accelerator: piuma\nworkloads: ['rmat:6,4']\nparameters:\n  cache_line_bytes: [8, 12]\n");
        assertBad(spec, spec + ":4: parameters.cache_line_bytes: value '12' is not allowed (cacheLineBytes = 12 is not a"
                + " power of two");
    }

    private void assertBad(Path spec, String expected) throws Exception {
        SweepCsv.assertSweepFails(spec, tmp.resolve("bad"), expected);
    }
}
