package dev.sieve.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
}
