package dev.sieve.driver.train;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.driver.Arithmetic;
import dev.sieve.driver.Bf16Rounding;
import dev.sieve.driver.CpuDevice;
import dev.sieve.driver.ExactGemm;
import dev.sieve.driver.GemmKernel;
import dev.sieve.driver.Matrix;
import dev.sieve.driver.Operand;
import dev.sieve.driver.SatDevice;
import dev.sieve.driver.nn.GemmLayer;
import dev.sieve.driver.nn.Models;
import dev.sieve.sim.cli.Simulate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate bench-gemm}: GFLOP/s of the SAT backend's GEMM kernel on the GEMM shapes of a training
 * network's two largest layers (batch 64, all three passes), the scalar and vector paths on one thread
 * and the kernel on all threads, interleaved in one run, best of the rounds, beside the machine's FP32
 * FMA peak; every shape's outputs are checked bit for bit (vector against scalar path, a sample
 * against the datapath reference {@link ExactGemm}).
 *
 * <p>Peak: cores x clock x FLOP per cycle per core, where FLOP per cycle = 2 x FP32 lanes per FMA unit
 * (16 with AVX-512, 8 with AVX2, from {@code /proc/cpuinfo}'s flags) x FMA units per core
 * ({@code --fma-units}, 2 on current x86 cores), and the clock is the larger of {@code /proc/cpuinfo}'s
 * "cpu MHz" and the clock a one-thread loop of independent vector FMAs shows per second of its CPU time
 * (cores that boost run above the nominal clock; a peak from the nominal clock would flatter the kernel;
 * CPU time, so that other jobs on the machine do not lower it), and the clock a chain of dependent FMAs
 * shows at their 4-cycle latency (independent of the FMA unit count, so the loop's FLOP per such cycle
 * checks {@code --fma-units}): the highest of the three, so a disturbed measurement can only lower the
 * reported fraction.
 */
@Command(name = "bench-gemm", mixinStandardHelpOptions = true,
        description = "GFLOP/s of the SAT backend's GEMM kernel on a training network's largest shapes, beside the machine's FP32 FMA peak.",
        footer = {"", "Example:", "  simulate bench-gemm --rounds 5", "",
                "Last line:", "  bench-gemm: peak_gflops=P best_gflops=B fraction_of_peak=F bit_exact=true|false"})
public final class BenchGemmCommand implements Callable<Integer> {
    private static final int BATCH = 64;
    private static final int SAMPLES = 400;
    /** Cycles of a vector FP32 FMA on current x86 cores (AMD Zen 4/5, Intel since Skylake), for the clock cross-check. */
    private static final int FMA_LATENCY = 4;

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", description = "Timed rounds per case, best kept (default: ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(names = "--threads", description = "Threads of the parallel case (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--model", paramLabel = "widecnn|cnn|mlp", description = "Network whose shapes are measured (default: ${DEFAULT-VALUE}).")
    String model = "widecnn";

    @Option(names = "--fma-units", description = "FMA units per core for the peak (default: ${DEFAULT-VALUE}).")
    int fmaUnits = 2;

    record Shape(String name, PassGemm pass) {
    }

    @Override
    public Integer call() {
        Simulate.UsageError.requireRange("--rounds", rounds, 1, 1000);
        Simulate.UsageError.requireRange("--threads", threads, 1, 256);
        Simulate.UsageError.requireRange("--fma-units", fmaUnits, 1, 8);
        if (!Models.NAMES.contains(model)) {
            throw new Simulate.UsageError("--model '" + model + "' is not known; allowed: " + String.join(", ", Models.NAMES));
        }
        PrintWriter o = spec.commandLine().getOut();
        List<Shape> shapes = shapes(model);
        int cores = Runtime.getRuntime().availableProcessors();
        double nominalMhz = cpuMhz();
        int lanes = cpuLanes();
        int flopsPerCycle = 2 * lanes * fmaUnits;
        double measured = GemmKernel.measuredFmaGflops(400);
        double measuredMhz = measured * 1000 / flopsPerCycle;
        // a second clock: one chain of dependent FMAs runs at clock / latency, whatever the number of FMA units
        double chainMhz = GemmKernel.measuredDependentFmaRate(200) * FMA_LATENCY * 1000;
        // the highest of the three, so that a slow measurement can only lower the reported fraction
        double mhz = Math.max(nominalMhz, Math.max(measuredMhz, chainMhz));
        double peak = cores * mhz / 1000 * flopsPerCycle;
        o.printf(Locale.ROOT, "bench-gemm: %d cores x %.0f MHz x %d FLOP/cycle (%d FP32 lanes x %d FMA units x 2) = peak %.1f GFLOP/s; "
                        + "clock: /proc/cpuinfo %.0f MHz, one-thread FMA loop %.1f GFLOP per CPU-second = %.0f MHz; "
                        + "a dependent FMA chain %.0f MHz at %d-cycle latency (the loop did %.2f FLOP per such cycle); "
                        + "load average %s%n",
                cores, mhz, flopsPerCycle, lanes, fmaUnits, peak, nominalMhz, measured, measuredMhz, chainMhz, FMA_LATENCY,
                chainMhz > 0 ? measured * 1000 / chainMhz : 0, loadAverage());
        SatDevice dev = new SatDevice(SatDevice.defaultConfig(), threads);
        boolean vector = GemmKernel.vectorAvailable();
        double best = 0;
        double bestCpu = 0;
        boolean exact = true;
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        try (GemmKernel scalar1 = new GemmKernel(1, GemmKernel.Path.SCALAR);
             GemmKernel vector1 = vector ? new GemmKernel(1, GemmKernel.Path.VECTOR) : null;
             GemmKernel many = new GemmKernel(threads)) {
            o.printf(Locale.ROOT, "kernel: %s%n", many.describe());
            o.printf(Locale.ROOT, "%-18s %6s %6s %6s %10s %10s %10s %10s %10s %7s %6s%n", "shape (" + model + ")", "m", "k",
                    "n", "scalar 1t", "vector 1t", "vec 1t/cpu", "kernel " + threads + "t", "device " + threads + "t", "% peak",
                    "exact");
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
                float[] cs = new float[m * n];
                float[] cv = new float[m * n];
                float[] cn = new float[m * n];
                float[] cd = new float[m * n];
                int tile = dev.reductionTile(s.pass());
                double flops = 2.0 * m * n * k;
                double bestS = Double.MAX_VALUE;
                double bestV = Double.MAX_VALUE;
                double bestVc = Double.MAX_VALUE;
                double bestN = Double.MAX_VALUE;
                double bestD = Double.MAX_VALUE;
                Operand op = Operand.dense(Matrix.of(dev.wrap("a", a), m, k));
                Matrix bm = Matrix.of(dev.wrap("b", b), k, n);
                Matrix cm = Matrix.of(dev.wrap("c", cd), m, n);
                for (int r = 0; r < rounds + 1; r++) {
                    long t0 = System.nanoTime();
                    scalar1.run(m, n, k, a, 0, k, 1, b, cs, tile);
                    long c1 = tm.getCurrentThreadCpuTime();
                    long t1 = System.nanoTime();
                    if (vector1 != null) {
                        vector1.run(m, n, k, a, 0, k, 1, b, cv, tile);
                    }
                    long t2 = System.nanoTime();
                    long c2 = tm.getCurrentThreadCpuTime();
                    many.run(m, n, k, a, 0, k, 1, b, cn, tile);
                    long t3 = System.nanoTime();
                    dev.gemm(s.pass(), op, bm, cm);
                    long t4 = System.nanoTime();
                    if (r > 0) { // round 0 warms the JIT
                        bestS = Math.min(bestS, t1 - t0);
                        bestV = Math.min(bestV, t2 - t1);
                        bestVc = Math.min(bestVc, Math.max(1, c2 - c1));
                        bestN = Math.min(bestN, t3 - t2);
                        bestD = Math.min(bestD, t4 - t3);
                    }
                }
                boolean ok = same(cs, cn) && same(cs, cd) && (vector1 == null || same(cs, cv))
                        && matchesReference(op, bm, cn, tile, m, n);
                exact &= ok;
                best = Math.max(best, flops / bestN);
                if (vector1 != null) {
                    bestCpu = Math.max(bestCpu, flops / bestVc);
                }
                o.printf(Locale.ROOT, "%-18s %6d %6d %6d %10.2f %10s %10s %10.2f %10.2f %7.1f %6s%n", s.name(), m, k, n,
                        flops / bestS, vector1 == null ? "-" : String.format(Locale.ROOT, "%.2f", flops / bestV),
                        vector1 == null ? "-" : String.format(Locale.ROOT, "%.2f", flops / bestVc),
                        flops / bestN, flops / bestD, 100 * flops / bestN / peak, ok);
            }
        } finally {
            dev.close();
        }
        o.println("GFLOP/s; 'vec 1t/cpu': the one-thread vector kernel per second of its thread's CPU time (what it does while"
                + " it holds a core, whatever the machine's load); 'device' is a whole SAT launch: BF16 rounding of both operands, exponent checks, kernel, "
                + "cycle accounting; 'exact': scalar, vector, kernel and device outputs equal bit for bit and "
                + SAMPLES + " sampled outputs equal the Fp32Ops reference");
        o.printf(Locale.ROOT, "bench-gemm: load average after %s; one thread per CPU-second: best %.1f GFLOP/s = %.3f of one"
                + " core's peak %.1f%n", loadAverage(), bestCpu, bestCpu / (peak / cores), peak / cores);
        o.printf(Locale.ROOT, "bench-gemm: peak_gflops=%.1f best_gflops=%.1f fraction_of_peak=%.3f bit_exact=%b%n", peak,
                best, best / peak, exact);
        return exact ? 0 : 1;
    }

    /** The forward, data-gradient and weight-gradient GEMMs of the model's two layers with the most multiply-adds. */
    static List<Shape> shapes(String model) {
        List<GemmLayer> all = Models.build(model, CpuDevice.fp32(), NmPattern.DENSE, BackwardMaskSource.DENSE, 1)
                .gemmLayers();
        List<GemmLayer> top = new ArrayList<>(all);
        top.sort(Comparator.comparingLong((GemmLayer g) -> g.desc().macs(BATCH)).reversed());
        top = new ArrayList<>(top.subList(0, Math.min(2, top.size())));
        top.sort(Comparator.comparingInt(all::indexOf));
        List<Shape> out = new ArrayList<>();
        for (GemmLayer g : top) {
            Layer l = g.desc();
            int index = all.indexOf(g);
            out.add(new Shape(l.name() + " fwd", Bdwp.forward(l, index, BATCH, NmPattern.DENSE)));
            if (index > 0) {
                out.add(new Shape(l.name() + " dgrad", Bdwp.dataGradient(l, index, BATCH, NmPattern.DENSE)));
            }
            out.add(new Shape(l.name() + " wgrad", Bdwp.weightGradient(l, index, BATCH)));
        }
        return out;
    }

    private static boolean same(float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesReference(Operand a, Matrix b, float[] c, int tile, int m, int n) {
        SplittableRandom rng = new SplittableRandom(11);
        for (int s = 0; s < SAMPLES; s++) {
            int i = rng.nextInt(m);
            int j = rng.nextInt(n);
            float ref = ExactGemm.one(Arithmetic.BF16_FP32, a, b, i, j, tile);
            if (Float.floatToRawIntBits(ref) != Float.floatToRawIntBits(c[i * n + j])) {
                return false;
            }
        }
        return true;
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

    /** FP32 lanes of the widest vector FMA the CPU has (from /proc/cpuinfo's flags). */
    private static int cpuLanes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    List<String> f = List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                    return f.contains("avx512f") ? 16 : f.contains("fma") ? 8 : 4;
                }
            }
        } catch (IOException e) {
            return 8;
        }
        return 8;
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
