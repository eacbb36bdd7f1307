package dev.sieve.sim.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.sim.cli.Simulate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep killed with SIGTERM part-way and run again ends with the same CSV files, byte for byte,
 * as a sweep that was never interrupted.
 */
class SweepResumeTest {

    @TempDir
    Path tmp;

    private Path spec() throws Exception {
        Path topo = Path.of("../examples/topologies/resnet18_cifar10.csv").toAbsolutePath().normalize();
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, String.join("\n",
                "accelerator: sat",
                "workloads: ['" + topo + "']",
                "parameters:",
                "  array: [8x8, 16x16, 32x32, 64x64]",
                "  nm: [dense, '1:4', '2:4', '2:8', '1:8']",
                "  buffer_kib: [64, 256, 1024]",
                "  dataflow: [ws, interleave]",
                "  format: [int8, bf16]",
                ""));
        return spec;
    }

    private Process start(Path spec, Path out) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                Simulate.class.getName(), "sweep", spec.toString(), "--out", out.toString(), "--threads", "1"))
                .redirectErrorStream(true).redirectOutput(tmp.resolve(out.getFileName() + ".log").toFile()).start();
    }

    private static long saved(Path out) throws Exception {
        Path store = out.resolve(".points");
        if (!Files.isDirectory(store)) {
            return 0;
        }
        try (var s = Files.list(store)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    @Test
    void interruptedSweepResumesToTheSameCsv() throws Exception {
        Path spec = spec();
        Path whole = tmp.resolve("whole");
        Path cut = tmp.resolve("cut");

        assertEquals(0, Simulate.run("sweep", spec.toString(), "--out", whole.toString(), "--threads", "2"));

        Process p = start(spec, cut);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (saved(cut) < 20 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the sweep must still be running when it is interrupted");
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        long partial = saved(cut);
        assertTrue(partial >= 20 && partial < 240, "interrupted part-way: " + partial + " of 240 saved");
        assertFalse(Files.exists(cut.resolve("points.csv")), "no final CSV from an interrupted run");
        String log = Files.readString(tmp.resolve("cut.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("sweep: interrupted"), log);

        Process again = start(spec, cut);
        assertTrue(again.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, again.exitValue());
        String last = Files.readString(tmp.resolve("cut.log")).lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("sweep: points=240 done=" + (240 - partial) + " skipped=" + partial + " "), last);
        for (String f : List.of("points.csv", "layers.csv", "pareto.csv")) {
            assertEquals(Files.readString(whole.resolve(f)), Files.readString(cut.resolve(f)), f);
        }
    }
}
