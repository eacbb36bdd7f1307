package dev.sieve.sim.cli;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.cosim.CosimBench;
import dev.sieve.cosim.Verilator;
import dev.sieve.dataflow.piuma.Algorithm;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.dataflow.sparse.Rmat;
import dev.sieve.hdl.ModuleDef;
import dev.sieve.hdl.VerilogEmitter;
import dev.sieve.hdl.lib.Mac;
import dev.sieve.hdl.lib.model.MacModel;
import dev.sieve.sim.piuma.SpgemmSimulation;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code simulate bench}: benchmarks that print figures measured side by side in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks measured side by side in one run.",
        subcommands = {BenchCommand.Cosim.class, BenchCommand.Piuma.class, SatLayoutBench.class},
        footer = {"", "Examples:", "  simulate bench cosim --cycles 10000000", "  simulate bench piuma --scale 16"})
public final class BenchCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a benchmark: the usage on stdout, one line naming the benchmarks on stderr, exit code 2. */
    @Override
    public Integer call() {
        return Simulate.missingSubcommand(spec.commandLine(), "BENCHMARK");
    }

    /**
     * {@code simulate bench cosim}: on one generated design (the library MAC, 8x8 signed with a
     * 24-bit accumulator), runs (a) the Verilated model from a plain C++ loop, (b) Sieve's harness in
     * batched mode, (c) lockstep against its Java model, interleaved over rounds, and reports the best
     * rate of each.
     */
    @Command(name = "cosim", mixinStandardHelpOptions = true,
            description = "Raw Verilator C++ loop vs batched JNA harness vs lockstep with a Java model.",
            footer = {"", "Example:", "  simulate bench cosim --cycles 10000000", "",
                    "Last line: cosim: raw_cycles_per_s=R batched_cycles_per_s=B lockstep_cycles_per_s=L batched_vs_raw=X"})
    public static final class Cosim implements Callable<Integer> {
        @Option(names = "--cycles", description = "Cycles per run (default: ${DEFAULT-VALUE}).")
        long cycles = 10_000_000L;

        @Override
        public Integer call() {
            if (cycles < 1_000) {
                throw new Simulate.UsageError("--cycles = " + cycles + " is too small; allowed >= 1000");
            }
            Mac.Config cfg = new Mac.Config(8, 8, 24, true);
            ModuleDef mac = new Mac(cfg).build();
            CosimBench.Figures f = CosimBench.run(Verilator.materialize(VerilogEmitter.emitAll(mac)), mac.name(),
                    () -> new MacModel(cfg), cycles);
            System.out.print(f.table());
            System.out.println(f.summaryLine());
            return 0;
        }
    }

    /**
     * {@code simulate bench piuma}: the speed of the PIUMA model itself. Simulates SMASH V3 for
     * {@code A x A}, A an R-MAT graph, whole (never sampled), once per host-thread count per round,
     * the counts interleaved over the rounds so that they see the same machine; reports the best
     * round of each and, for several counts, their ratio.
     */
    @Command(name = "piuma", mixinStandardHelpOptions = true,
            description = {"Simulated operations per wall second of the PIUMA model: SMASH V3 on R-MAT A x A, whole;"
                    + " then the inner- and outer-product baselines once each, on the last host-thread count, within"
                    + " --baseline-max-ops (as simulate piuma runs them).",
                    "Each engine's rate also per CPU-second of the process (user + system, which a host shared"
                            + " with other work changes less than wall time)."},
            footer = {"", "Example:", "  simulate bench piuma --scale 16 --host-threads 1,2 --rounds 2", "",
                    "Last line: bench-piuma: scale=S ops=N cycles=C host_threads=T wall_s=W mops_per_s=M"
                            + " [speedup_vs_first=X] [inner_mops_per_s=I inner_sampled_fraction=F"
                            + " inner_error_pct=P outer_mops_per_s=O outer_sampled_fraction=G outer_error_pct=Q]"
                            + " mops_per_cpu_s=M2 [inner_mops_per_cpu_s=I2 outer_mops_per_cpu_s=O2]",
                    "  (a *_per_cpu_s rate: simulated operations over the process's CPU-seconds during that run,"
                            + " JIT and GC included)"})
    public static final class Piuma implements Callable<Integer> {
        @Option(names = "--scale", description = "R-MAT scale: 2^SCALE vertices (default: ${DEFAULT-VALUE}).")
        int scale = 16;

        @Option(names = "--edge-factor", description = "R-MAT edges per vertex (default: ${DEFAULT-VALUE}).")
        int edgeFactor = 16;

        @Option(names = "--host-threads", split = ",", paramLabel = "T[,T...]",
                description = "Host thread counts to measure (default: the host's cores).")
        List<Integer> hostThreads = List.of(Runtime.getRuntime().availableProcessors());

        @Option(names = "--rounds", description = "Rounds; the best of each count is reported (default: ${DEFAULT-VALUE}).")
        int rounds = 1;

        @Option(names = "--baseline-max-ops", paramLabel = "N", description = "Operations a baseline may issue"
                + " before it is sampled, as in simulate piuma; 0 never samples (default: ${DEFAULT-VALUE}).")
        double baselineMaxOps = 2e8;

        @Option(names = "--no-baselines", description = "Measure SMASH V3 only.")
        boolean noBaselines;

        @Override
        public Integer call() {
            Simulate.UsageError.requireRange("--scale", scale, 4, 22);
            Simulate.UsageError.requireRange("--edge-factor", edgeFactor, 1, 64);
            Simulate.UsageError.requireRange("--rounds", rounds, 1, 100);
            if (baselineMaxOps < 0 || Double.isNaN(baselineMaxOps)) {
                throw new Simulate.UsageError("--baseline-max-ops = " + baselineMaxOps
                        + " is out of range; allowed 0 (never sample) or more");
            }
            for (int t : hostThreads) {
                Simulate.UsageError.requireRange("--host-threads", t, 1, 256);
            }
            Csr a = Rmat.generate(scale, edgeFactor, 1);
            PiumaConfig cfg = PiumaConfig.defaults();
            double[] best = new double[hostThreads.size()];
            Arrays.fill(best, Double.MAX_VALUE);
            double[] bestCpu = new double[hostThreads.size()];
            Arrays.fill(bestCpu, Double.MAX_VALUE);
            SpgemmSimulation.Result last = null;
            System.out.printf(Locale.ROOT, "%-6s %-12s %12s %14s %9s %8s %8s %10s%n", "round", "host_threads", "ops",
                    "cycles", "wall_s", "Mops/s", "cpu_s", "Mops/cpu_s");
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < hostThreads.size(); i++) {
                    long cpu0 = processCpuNanos();
                    SpgemmSimulation.Result r = SpgemmSimulation.run(Algorithm.SMASH_V3, a, a, cfg, 0, false,
                            hostThreads.get(i));
                    double cpu = (processCpuNanos() - cpu0) / 1e9;
                    if (last != null && (r.stats().cycles() != last.stats().cycles()
                            || r.stats().ops() != last.stats().ops())) {
                        throw new IllegalStateException("host threads changed the result: " + r.stats().cycles()
                                + " cycles vs " + last.stats().cycles());
                    }
                    last = r;
                    best[i] = Math.min(best[i], r.wallSeconds());
                    bestCpu[i] = Math.min(bestCpu[i], cpu);
                    System.out.printf(Locale.ROOT, "%-6d %-12d %12d %14d %9.2f %8.2f %8.2f %10.2f%n", round,
                            hostThreads.get(i), r.stats().ops(), r.stats().cycles(), r.wallSeconds(),
                            r.opsPerWallSecond() / 1e6, cpu, r.stats().ops() / Math.max(cpu, 1e-9) / 1e6);
                }
            }
            String ratio = hostThreads.size() > 1
                    ? String.format(Locale.ROOT, " speedup_vs_first=%.2f", best[0] / best[best.length - 1]) : "";
            int k = hostThreads.size() - 1;
            // the baselines, once each on the last count: the inner product core by core on all of them,
            // the outer product (its cores share atomic units) on one
            StringBuilder baselines = new StringBuilder();
            StringBuilder cpuRates = new StringBuilder(String.format(Locale.ROOT, " mops_per_cpu_s=%.2f",
                    last.stats().ops() / bestCpu[k] / 1e6));
            if (!noBaselines) {
                System.out.printf(Locale.ROOT, "%-10s %-12s %12s %14s %9s %8s %8s %10s %s%n", "baseline", "host_threads",
                        "ops", "cycles", "wall_s", "Mops/s", "cpu_s", "Mops/cpu_s", "sampled_fraction");
                for (Algorithm alg : List.of(Algorithm.INNER, Algorithm.OUTER)) {
                    int threads = alg.coreLocal() ? hostThreads.get(k) : 1;
                    long cpu0 = processCpuNanos();
                    SpgemmSimulation.Result r = SpgemmSimulation.run(alg, a, a, cfg, baselineMaxOps, false, threads);
                    double cpu = (processCpuNanos() - cpu0) / 1e9;
                    long ops = r.opsSimulated();
                    double perCpu = ops / Math.max(cpu, 1e-9) / 1e6;
                    String fraction = PiumaCommand.fraction(r.sampledFraction());
                    System.out.printf(Locale.ROOT, "%-10s %-12d %12d %14d %9.2f %8.2f %8.2f %10.2f %s%n", alg.cliName(),
                            threads, ops, r.stats().cycles(), r.wallSeconds(), r.opsPerWallSecond() / 1e6, cpu, perCpu,
                            fraction);
                    cpuRates.append(String.format(Locale.ROOT, " %s_mops_per_cpu_s=%.2f", alg.cliName(), perCpu));
                    baselines.append(String.format(Locale.ROOT, " %s_mops_per_s=%.2f %s_sampled_fraction=%s",
                            alg.cliName(), r.opsPerWallSecond() / 1e6, alg.cliName(), fraction));
                    baselines.append(' ').append(alg.cliName()).append("_error_pct=").append(PiumaCommand.errorPct(r));
                }
            }
            // the last line: the last count measured (and its speedup over the first), then the baselines
            System.out.printf(Locale.ROOT, "bench-piuma: scale=%d ops=%d cycles=%d host_threads=%d wall_s=%.2f"
                            + " mops_per_s=%.2f%s%s%s%n", scale, last.stats().ops(), last.stats().cycles(),
                    hostThreads.get(k), best[k], last.stats().ops() / best[k] / 1e6, ratio, baselines, cpuRates);
            return 0;
        }

        /** CPU time of this process so far (user + system, every thread), in nanoseconds. */
        static long processCpuNanos() {
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                long t = sun.getProcessCpuTime();
                if (t >= 0) {
                    return t;
                }
            }
            throw new IllegalStateException("this JVM does not report the process's CPU time");
        }
    }
}
