package dev.sieve.driver.train;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.driver.Bf16Rounding;
import dev.sieve.driver.GemmKernel;
import dev.sieve.driver.Matrix;
import dev.sieve.driver.Operand;
import dev.sieve.driver.SatDevice;
import dev.sieve.sim.cli.Simulate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate bench-gemm}: GFLOP/s of the SAT backend's GEMM kernel on the CNN's GEMM shapes
 * (batch 64), one thread and all threads interleaved in the same run, best of the rounds, beside the
 * machine's peak and the load average.
 */
@Command(name = "bench-gemm", mixinStandardHelpOptions = true,
        description = "GFLOP/s of the SAT backend's GEMM kernel on the training CNN's shapes, beside the machine's peak.",
        footer = {"", "Example:", "  simulate bench-gemm --rounds 5"})
public final class BenchGemmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", description = "Timed rounds per case, best kept (default: ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(names = "--threads", description = "Threads of the parallel case (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--flops-per-cycle", description = "FP32 FLOP per cycle per core for the peak (default: ${DEFAULT-VALUE}: 2 x 256-bit FMA).")
    int flopsPerCycle = 32;

    record Shape(String name, PassGemm pass) {
    }

    @Override
    public Integer call() {
        Simulate.UsageError.requireRange("--rounds", rounds, 1, 1000);
        Simulate.UsageError.requireRange("--threads", threads, 1, 256);
        PrintWriter o = spec.commandLine().getOut();
        Layer conv2 = Layer.conv("conv2", 16, 16, 3, 3, 16, 32, 1);
        Layer fc1 = Layer.gemm("fc1", 1, 64, 1568);
        List<Shape> shapes = List.of(new Shape("conv2 fwd", Bdwp.forward(conv2, 1, 64, NmPattern.DENSE)),
                new Shape("conv2 dgrad", Bdwp.dataGradient(conv2, 1, 64, NmPattern.DENSE)),
                new Shape("conv2 wgrad", Bdwp.weightGradient(conv2, 1, 64)),
                new Shape("fc1 wgrad", Bdwp.weightGradient(fc1, 2, 64)));
        double mhz = cpuMhz();
        int cores = Runtime.getRuntime().availableProcessors();
        double peak = cores * mhz / 1000 * flopsPerCycle;
        o.printf(Locale.ROOT, "bench-gemm: %d cores at %.0f MHz; peak %.1f GFLOP/s FP32 (%d FLOP/cycle/core with FMA); "
                + "the kernel issues separate multiplies and adds (Math.fma was slower here), so its ceiling is %.1f; load average %s%n",
                cores, mhz, peak, flopsPerCycle, peak / 2, loadAverage());
        o.printf(Locale.ROOT, "%-12s %6s %6s %6s %10s %10s %10s%n", "shape", "m", "k", "n", "1 thread", threads + " threads",
                "device");
        SatDevice dev = new SatDevice(SatDevice.defaultConfig(), threads);
        try (GemmKernel one = new GemmKernel(1); GemmKernel many = new GemmKernel(threads)) {
            for (Shape s : shapes) {
                int m = (int) s.pass().outputs();
                int k = (int) s.pass().reduction();
                int n = (int) s.pass().vectors();
                SplittableRandom rng = new SplittableRandom(7);
                float[] a = new float[m * k];
                float[] b = new float[k * n];
                for (int i = 0; i < a.length; i++) {
                    a[i] = Bf16Rounding.round((float) rng.nextGaussian());
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = Bf16Rounding.round((float) rng.nextGaussian());
                }
                float[] c = new float[m * n];
                int tile = dev.reductionTile(s.pass());
                double flops = 2.0 * m * n * k;
                double best1 = Double.MAX_VALUE;
                double bestN = Double.MAX_VALUE;
                double bestD = Double.MAX_VALUE;
                Operand op = Operand.dense(Matrix.of(dev.wrap("a", a), m, k));
                Matrix bm = Matrix.of(dev.wrap("b", b), k, n);
                Matrix cm = Matrix.of(dev.wrap("c", c), m, n);
                for (int r = 0; r < rounds + 1; r++) {
                    long t0 = System.nanoTime();
                    one.run(m, n, k, a, 0, k, 1, b, c, tile);
                    long t1 = System.nanoTime();
                    many.run(m, n, k, a, 0, k, 1, b, c, tile);
                    long t2 = System.nanoTime();
                    dev.gemm(s.pass(), op, bm, cm);
                    long t3 = System.nanoTime();
                    if (r > 0) { // round 0 warms the JIT
                        best1 = Math.min(best1, t1 - t0);
                        bestN = Math.min(bestN, t2 - t1);
                        bestD = Math.min(bestD, t3 - t2);
                    }
                }
                o.printf(Locale.ROOT, "%-12s %6d %6d %6d %10.2f %10.2f %10.2f%n", s.name(), m, k, n, flops / best1,
                        flops / bestN, flops / bestD);
            }
        } finally {
            dev.close();
        }
        o.println("GFLOP/s; 'device' is a whole SAT launch: BF16 rounding of both operands, exponent checks, kernel, cycle accounting");
        o.printf(Locale.ROOT, "bench-gemm: load average after %s%n", loadAverage());
        return 0;
    }

    private static double cpuMhz() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("cpu MHz")) {
                    return Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
