package dev.sieve.sim.cli;

import dev.sieve.io.InputException;
import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.Families;
import dev.sieve.io.OutputDir;
import dev.sieve.sim.sweep.CodeFingerprint;
import dev.sieve.sim.sweep.InProcessEngine;
import dev.sieve.sim.sweep.PointEngine;
import dev.sieve.sim.sweep.SweepPlots;
import dev.sieve.sim.sweep.SweepReport;
import dev.sieve.sim.sweep.SweepRunner;
import dev.sieve.sim.sweep.SweepSpec;
import dev.sieve.sim.sweep.spark.SparkEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code simulate sweep SPEC.yaml}: run a design-space sweep in parallel, resumably, on whichever
 * accelerator family the spec names ({@link Families}).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run every design point of a YAML sweep spec on all cores. Each finished point is saved at "
                + "once; after Ctrl-C or SIGTERM, rerunning the same command resumes and ends with the same CSVs.",
        footer = {"", "Outputs in DIR: points.csv (one row per point and workload), ITEMS.csv (per layer and pass for",
                "sat, per layer for spatten, per core for piuma), pareto.csv (cycles vs the family's cost),",
                "plots/*.png and *.svg, report.html (self-contained: spec, table, Pareto front, plots).", "", "Examples:",
                "  simulate sweep examples/sweeps/resnet18-sat.yaml --out out/sweep-resnet18",
                "  simulate sweep examples/sweeps/small-spatten.yaml",
                "  simulate sweep examples/sweeps/small-piuma.yaml"})
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

    @Option(names = "--max-points", paramLabel = "N", description = "Refuse a spec whose parameters combine into more "
            + "than N points (counted before constraints, at once); default ${DEFAULT-VALUE}.")
    long maxPoints = DEFAULT_MAX_POINTS;

    @Option(names = "--spark", paramLabel = "MASTER", arity = "0..1", fallbackValue = "",
            description = "Evaluate the points on Apache Spark executors: local[N], spark://HOST:PORT, or, given alone, "
                    + "the master spark-submit set. Same CSVs as in process; needs Spark on the class path (spark-submit, "
                    + "or examples/target/sieve-spark/sieve-spark.jar).")
    String spark;

    /** The default of {@code --max-points}. */
    public static final long DEFAULT_MAX_POINTS = 1_000_000;

    private long start;

    @Override
    public Integer call() {
        start = System.nanoTime();
        Simulate.UsageError.requireRange("--threads", threads, 1, 1024);
        Simulate.UsageError.requireRange("--max-points", maxPoints, 1, Long.MAX_VALUE);
        Map<String, AcceleratorFamily<?>> families = Families.all();
        SweepSpec spec;
        try {
            spec = SweepSpec.read(specFile, families);
        } catch (InputException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        long combinations = spec.combinations();
        if (combinations > maxPoints) {
            throw new Simulate.UsageError(specFile + ": parameters: the values combine into "
                    + (combinations == Long.MAX_VALUE ? "more than 9.2e18" : String.format(Locale.ROOT, "%,d", combinations))
                    + " points" + (spec.constraints().isEmpty() ? "" : " before constraints") + ", more than --max-points "
                    + String.format(Locale.ROOT, "%,d", maxPoints) + "; allowed: at most --max-points points (raise it "
                    + "to run this spec)");
        }
        return run(spec, families.get(spec.accelerator()));
    }

    /** The engine: this process's threads, or Spark executors with {@code --spark}. */
    private PointEngine engine() {
        if (spark == null) {
            return new InProcessEngine(threads);
        }
        return new SparkEngine(spark);
    }

    private <W> int run(SweepSpec spec, AcceleratorFamily<W> family) {
        if (spark != null && !SparkEngine.available()) {
            throw new Simulate.UsageError("--spark needs Apache Spark on the class path; run examples/target/sieve-spark/"
                    + "sieve-spark.jar instead of sieve.jar, or submit sieve.jar with spark-submit (see README)");
        }
        if (spark != null && spark.isEmpty() && System.getProperty("spark.master") == null) {
            throw new Simulate.UsageError("--spark without a master needs spark-submit (which sets spark.master); "
                    + "allowed: --spark local[N], --spark spark://HOST:PORT, or --spark under spark-submit");
        }
        Path dir = out != null ? out : spec.output() != null ? spec.output() : Path.of("out", "sweep-" + spec.name());
        // saved points are keyed by the version and by the bytes of the code that computes them
        String version = Simulate.VERSION + "+" + CodeFingerprint.of(family.getClass(), SweepRunner.class,
                dev.sieve.arch.NmPattern.class, dev.sieve.dataflow.workload.Topology.class,
                dev.sieve.hdl.catalog.Catalog.class);
        SweepRunner<W> runner = new SweepRunner<>(spec, family, dir, System.err, start, version);
        try {
            runner.validate(resources);
        } catch (SweepRunner.InvalidPoint e) {
            throw new Simulate.UsageError(specFile + ": parameters: " + e.getMessage());
        } catch (InputException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        OutputDir.prepare(dir, out != null ? "--out" : "output");
        try {
            runner.load(); // each workload once, before anything is written
        } catch (InputException | IllegalArgumentException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        Thread hook = new Thread(() -> {
            runner.stop();
            System.err.println("\nsweep: interrupted; finished points are saved in " + dir.resolve(".points")
                    + "; rerun the same command to resume");
        });
        Runtime.getRuntime().addShutdownHook(hook);
        SweepRunner.Outcome o = runner.run(engine());
        Runtime.getRuntime().removeShutdownHook(hook);
        if (o.complete()) {
            List<Path> plots = SweepPlots.forSweep(spec, family, o, resources);
            Path report = SweepReport.write(spec, family, o, resources);
            System.out.println("wrote " + String.join(", ", o.reports().stream().map(Path::toString).toList()));
            System.out.println("report " + report);
            for (Path p : plots) {
                System.out.println("plot  " + p);
            }
        }
        System.out.println(o.summaryLine((System.nanoTime() - start) / 1e9));
        return o.complete() ? 0 : 130;
    }
}
