package dev.sieve.sim.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @Test
    void cosimBenchEndsWithItsMachineReadableLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Simulate.run("bench", "cosim", "--cycles", "20000");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, exit);
        String last = out.toString(StandardCharsets.UTF_8).lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.matches("cosim: raw_cycles_per_s=\\d+ batched_cycles_per_s=\\d+ lockstep_cycles_per_s=\\d+ "
                + "batched_vs_raw=\\d+\\.\\d{3}"), last);
    }

    @Test
    void tooFewCyclesIsAUsageError() {
        assertEquals(Simulate.EXIT_USAGE, Simulate.run("bench", "cosim", "--cycles", "10"));
    }

    @Test
    void piumaBenchReportsTheModelsOwnSpeedAndTheSameResultForEveryThreadCount() {
        CliRun.Result r = CliRun.run("bench", "piuma", "--scale", "8", "--host-threads", "1,2", "--rounds", "2");
        assertEquals(0, r.exit(), r.err());
        String last = r.last();
        assertTrue(last.matches("bench-piuma: scale=8 ops=\\d+ cycles=\\d+ host_threads=2 wall_s=\\d+\\.\\d{2}"
                + " mops_per_s=\\d+\\.\\d{2} speedup_vs_first=\\d+\\.\\d{2} inner_mops_per_s=\\d+\\.\\d{2}"
                + " inner_sampled_fraction=1 inner_error_pct=0.00 outer_mops_per_s=\\d+\\.\\d{2} outer_sampled_fraction=1"
                + " outer_error_pct=0.00"
                + " mops_per_cpu_s=\\d+\\.\\d{2} inner_mops_per_cpu_s=\\d+\\.\\d{2} outer_mops_per_cpu_s=\\d+\\.\\d{2}"),
                last);
        // the same simulation as the piuma command's, whole: its cycles and operations
        dev.sieve.dataflow.sparse.Csr a = dev.sieve.dataflow.sparse.Rmat.generate(8, 16, 1);
        dev.sieve.sim.piuma.SpgemmSimulation.Result direct = dev.sieve.sim.piuma.SpgemmSimulation.run(
                dev.sieve.dataflow.piuma.Algorithm.SMASH_V3, a, a, dev.sieve.arch.piuma.PiumaConfig.defaults(), 0, false);
        assertTrue(last.contains(" ops=" + direct.stats().ops() + " cycles=" + direct.stats().cycles() + " "), last);
        // header, 2 rounds x 2 counts, the baselines' header and two rows, the last line
        assertEquals(9, r.out().lines().count(), r.out());
        // the baselines' rows are the piuma command's simulations of them, whole at this size
        for (dev.sieve.dataflow.piuma.Algorithm alg : java.util.List.of(dev.sieve.dataflow.piuma.Algorithm.INNER,
                dev.sieve.dataflow.piuma.Algorithm.OUTER)) {
            dev.sieve.sim.piuma.SpgemmSimulation.Result b = dev.sieve.sim.piuma.SpgemmSimulation.run(alg, a, a,
                    dev.sieve.arch.piuma.PiumaConfig.defaults(), 0, false);
            assertTrue(r.out().lines().anyMatch(l -> l.matches(alg.cliName() + " +\\d+ +" + b.stats().ops() + " +"
                    + b.stats().cycles() + " .* 1")), alg.cliName() + "\n" + r.out());
        }
    }

    @Test
    void piumaBenchRejectsAScaleOutOfRange() {
        CliRun.Result r = CliRun.run("bench", "piuma", "--scale", "40");
        assertEquals(Simulate.EXIT_USAGE, r.exit());
        assertTrue(r.err().contains("--scale = 40 is out of range; allowed 4 .. 22"), r.err());
    }
}
