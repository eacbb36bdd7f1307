package dev.sieve.sim.cli;

import dev.sieve.io.InputException;
import dev.sieve.sim.sweep.ParamSpec;
import dev.sieve.sim.sweep.SatSweep;
import dev.sieve.sim.sweep.SweepEvaluator;
import dev.sieve.sim.sweep.SweepPlots;
import dev.sieve.sim.sweep.SweepRunner;
import dev.sieve.sim.sweep.SweepSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code simulate sweep SPEC.yaml}: run a design-space sweep in parallel, resumably. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run every design point of a YAML sweep spec on all cores. Each finished point is saved at "
                + "once; after Ctrl-C or SIGTERM, rerunning the same command resumes and ends with the same CSVs.",
        footer = {"", "Outputs in DIR: points.csv (one row per point and workload), layers.csv (per layer and pass),",
                "pareto.csv (cycles vs energy front), plots/*.png and *.svg.", "", "Example:",
                "  simulate sweep examples/sweeps/resnet18-sat.yaml --out out/sweep-resnet18"})
public final class SweepCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC.yaml", description = "The sweep spec.")
    Path specFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: the spec's output, else out/sweep-<name>).")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--resources", description = "Join Yosys resource estimates (LUT, FF, DSP, BRAM and %% of an "
            + "XCVU9P) per distinct hardware configuration, cached by content hash; the Pareto front then weighs cycles "
            + "against the most used resource.")
    boolean resources;

    private long start;

    /** The accelerators a spec may name, with their evaluators. */
    static Map<String, SweepEvaluator<?>> evaluators() {
        Map<String, SweepEvaluator<?>> m = new LinkedHashMap<>();
        SatSweep sat = new SatSweep();
        m.put(sat.accelerator(), sat);
        return m;
    }

    @Override
    public Integer call() {
        start = System.nanoTime();
        Simulate.UsageError.requireRange("--threads", threads, 1, 1024);
        Map<String, SweepEvaluator<?>> evaluators = evaluators();
        Map<String, Map<String, ParamSpec>> params = new LinkedHashMap<>();
        evaluators.forEach((k, v) -> params.put(k, v.parameters()));
        SweepSpec spec;
        try {
            spec = SweepSpec.read(specFile, params);
        } catch (InputException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        return run(spec, evaluators.get(spec.accelerator()));
    }

    private <W> int run(SweepSpec spec, SweepEvaluator<W> evaluator) {
        List<Map<String, String>> points = spec.points();
        for (Map<String, String> p : points) {
            try {
                evaluator.check(p);
            } catch (IllegalArgumentException e) {
                throw new Simulate.UsageError(specFile + ": parameters: point " + p + " is not valid: " + e.getMessage()
                        + "; add a constraint that leaves it out");
            }
        }
        try {
            for (Path w : spec.workloads()) {
                evaluator.load(w);
            }
        } catch (InputException | dev.sieve.dataflow.workload.TopologyException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        Path dir = out != null ? out : spec.output() != null ? spec.output() : Path.of("out", "sweep-" + spec.name());
        SweepRunner<W> runner = new SweepRunner<>(spec, evaluator, dir, threads, System.err, start);
        if (resources) {
            runner.withResources();
        }
        Thread hook = new Thread(() -> {
            runner.stop();
            System.err.println("\nsweep: interrupted; finished points are saved in " + dir.resolve(".points")
                    + "; rerun the same command to resume");
        });
        Runtime.getRuntime().addShutdownHook(hook);
        SweepRunner.Outcome o = runner.run();
        Runtime.getRuntime().removeShutdownHook(hook);
        if (o.complete()) {
            List<Path> plots = plots(spec, o, resources);
            System.out.println("wrote " + dir.resolve("points.csv") + ", " + dir.resolve("layers.csv") + ", "
                    + dir.resolve("pareto.csv"));
            for (Path p : plots) {
                System.out.println("plot  " + p);
            }
        }
        System.out.println(o.summaryLine((System.nanoTime() - start) / 1e9));
        return o.complete() ? 0 : 130;
    }

    /** Speedup vs N:M per array size, the Pareto scatter, and the per-layer breakdown of the fastest point. */
    private static List<Path> plots(SweepSpec spec, SweepRunner.Outcome o, boolean resources) {
        Path dir = o.dir().resolve("plots");
        List<Path> files = new ArrayList<>();
        List<SweepRunner.Row> rows = o.rows();
        if (rows.isEmpty()) {
            return files;
        }
        List<String> pointCols = new SatSweep().pointColumns();
        int speedupCol = pointCols.indexOf("speedup_vs_dense");
        List<String> nms = spec.parameters().get("nm");
        List<String> arrays = spec.parameters().get("array");
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String a : arrays) {
            List<Double> ys = new ArrayList<>();
            for (String nm : nms) {
                ys.add(rows.stream().filter(r -> r.params().get("array").equals(a) && r.params().get("nm").equals(nm))
                        .mapToDouble(r -> Double.parseDouble(r.metrics().get(speedupCol))).average().orElse(Double.NaN));
            }
            series.put(a, ys);
        }
        files.addAll(SweepPlots.lines(dir, "speedup_vs_nm", "Training-step speedup over dense vs N:M, per array size",
                "N:M pattern", "speedup over dense (x), mean over other parameters", nms, series));

        java.util.Set<Integer> front = dev.sieve.sim.sweep.Pareto.front(rows);
        List<SweepRunner.Row> frontRows = rows.stream().filter(r -> front.contains(r.index()))
                .sorted(java.util.Comparator.comparingDouble(SweepRunner.Row::cycles)).toList();
        double scale = resources ? 1 : 1e-6;
        String costTitle = resources ? "most used XCVU9P resource in % (log)" : "energy per step in uJ (log)";
        String title = resources ? "Design points: cycles vs FPGA resources (Pareto front in red)"
                : "Design points: cycles vs energy (Pareto front in red)";
        files.addAll(SweepPlots.scatter(dir, "pareto", title, "cycles per step (log)", costTitle,
                rows.stream().map(SweepRunner.Row::cycles).toList(), rows.stream().map(r -> r.cost() * scale).toList(),
                frontRows.stream().map(SweepRunner.Row::cycles).toList(),
                frontRows.stream().map(r -> r.cost() * scale).toList()));

        SweepRunner.Row fastest = frontRows.get(0);
        List<String> layers = new ArrayList<>();
        Map<String, Map<String, Double>> byPass = new LinkedHashMap<>();
        for (List<String> l : fastest.layers()) {
            if (!layers.contains(l.get(0))) {
                layers.add(l.get(0));
            }
            byPass.computeIfAbsent(l.get(1), k -> new LinkedHashMap<>()).merge(l.get(0), Double.parseDouble(l.get(2)),
                    Double::sum);
        }
        Map<String, List<Double>> stacks = new LinkedHashMap<>();
        byPass.forEach((pass, m) -> stacks.put(pass, layers.stream().map(l -> m.getOrDefault(l, 0.0)).toList()));
        files.addAll(SweepPlots.stacked(dir, "layer_cycles", "Per-layer cycles by pass, fastest point "
                + fastest.params().get("array") + " " + fastest.params().get("nm"), "layer", "cycles", layers, stacks));
        return files;
    }
}
