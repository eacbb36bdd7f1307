package dev.sieve.sim.family;

import dev.sieve.sim.cli.Simulate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code objective: energy} in a spec of each family: the front in points.csv is exactly the set of
 * points no other point beats in both cycles and {@code energy_pJ} (recomputed here from the
 * reported columns), and a name the family does not offer is a one-line error.
 */
class EnergyObjectiveTest {

    @TempDir
    Path tmp;

    @Test
    void spattenFrontIsOnCyclesAndEnergy() throws Exception {
        checkFront("accelerator: spatten\nworkloads: [bert-base:64]\nparameters:\n  topk_engines: [1, 4]\n"
                + "  token_prune_ratio: [0.3, 0.87]\n  hbm_channels: [8, 16]\nobjective: energy\n");
    }

    @Test
    void piumaFrontIsOnCyclesAndEnergy() throws Exception {
        checkFront("accelerator: piuma\nworkloads: ['rmat:6,4']\nparameters:\n  algorithm: [smash-v1, smash-v3, inner]\n"
                + "  cores: [2, 8]\nobjective: energy\n");
    }

    @Test
    void satFrontIsOnCyclesAndEnergy() throws Exception {
        Path topo = Path.of("../examples/topologies/resnet18_cifar10.csv").toAbsolutePath().normalize();
        checkFront("accelerator: sat\nworkloads: ['" + topo + "']\nparameters:\n  array: [8x8, 32x32]\n"
                + "  nm: [dense, '2:4']\nobjective: energy\n");
    }

    @Test
    void anObjectiveTheFamilyLacksIsOneLine() throws Exception {
        Path spec = tmp.resolve("s.yaml");
        Files.writeString(spec, "accelerator: spatten\nworkloads: [bert-base:64]\nobjective: power\n");
        Object[] r = SweepCsv.run("sweep", spec.toString(), "--out", tmp.resolve("bad").toString());
        assertEquals(2, r[0], (String) r[1]);
        assertEquals("sweep: " + spec + ":3: objective: 'power' is not an objective of spatten; allowed: dram_traffic, energy",
                ((String) r[1]).strip());
        assertFalse(Files.exists(tmp.resolve("bad")));
    }

    private void checkFront(String yaml) throws Exception {
        Path spec = tmp.resolve("s.yaml");
        Files.writeString(spec, yaml);
        Path out = tmp.resolve("out");
        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", out.toString(), "--threads", "2"));
        List<CSVRecord> points = SweepCsv.read(out.resolve("points.csv"));
        assertTrue(points.size() >= 4);
        List<String> expected = new ArrayList<>();
        for (CSVRecord a : points) {
            double ca = Double.parseDouble(a.get("cycles"));
            double ea = Double.parseDouble(a.get("energy_pJ"));
            boolean dominated = false;
            for (CSVRecord b : points) {
                double cb = Double.parseDouble(b.get("cycles"));
                double eb = Double.parseDouble(b.get("energy_pJ"));
                // reported cells have six significant digits; the front uses the unrounded values, so
                // a tie in the cells is left to the runner
                if (b != a && cb <= ca && eb <= ea && (cb < ca || eb < ea) && !(eb == ea || cb == ca)) {
                    dominated = true;
                }
            }
            if (!dominated) {
                expected.add(a.get("point"));
            }
        }
        List<String> front = points.stream().filter(r -> r.get("pareto").equals("yes")).map(r -> r.get("point")).toList();
        assertFalse(front.isEmpty());
        for (String p : front) {
            assertTrue(expected.contains(p), "point " + p + " is on the front but dominated in (cycles, energy_pJ)");
        }
        for (String p : expected) {
            CSVRecord r = points.stream().filter(x -> x.get("point").equals(p)).findFirst().orElseThrow();
            boolean tie = points.stream().anyMatch(x -> x != r && (x.get("cycles").equals(r.get("cycles"))
                    || x.get("energy_pJ").equals(r.get("energy_pJ"))));
            if (!tie) {
                assertTrue(front.contains(p), "point " + p + " is not dominated but is off the front");
            }
        }
        assertTrue(Files.size(out.resolve("plots").resolve("pareto.png")) > 0);
    }
}
