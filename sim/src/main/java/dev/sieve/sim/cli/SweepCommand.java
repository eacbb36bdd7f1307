package dev.sieve.sim.cli;

import dev.sieve.io.InputException;
import dev.sieve.sim.family.AcceleratorFamily;
import dev.sieve.sim.family.Families;
import dev.sieve.io.OutputDir;
import dev.sieve.sim.sweep.SweepPlots;
import dev.sieve.sim.sweep.SweepRunner;
import dev.sieve.sim.sweep.SweepSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
                "plots/*.png and *.svg.", "", "Examples:",
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

    private long start;

    @Override
    public Integer call() {
        start = System.nanoTime();
        Simulate.UsageError.requireRange("--threads", threads, 1, 1024);
        Map<String, AcceleratorFamily<?>> families = Families.all();
        SweepSpec spec;
        try {
            spec = SweepSpec.read(specFile, families);
        } catch (InputException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        return run(spec, families.get(spec.accelerator()));
    }

    private <W> int run(SweepSpec spec, AcceleratorFamily<W> family) {
        Path dir = out != null ? out : spec.output() != null ? spec.output() : Path.of("out", "sweep-" + spec.name());
        SweepRunner<W> runner = new SweepRunner<>(spec, family, dir, threads, System.err, start);
        List<AcceleratorFamily.Hardware> hardware = new ArrayList<>();
        for (Map<String, String> p : runner.points()) {
            try {
                family.check(p);
            } catch (IllegalArgumentException e) {
                throw new Simulate.UsageError(specFile + ": parameters: point " + p + " is not valid: " + e.getMessage()
                        + "; add a constraint that leaves it out");
            }
            if (resources) {
                try {
                    hardware.add(family.hardware(p));
                } catch (IllegalArgumentException e) {
                    throw new Simulate.UsageError(specFile + ": parameters: point " + p + " has no RTL for --resources: "
                            + e.getMessage() + "; add a constraint that leaves it out, or drop --resources");
                }
            }
        }
        OutputDir.prepare(dir, out != null ? "--out" : "output");
        try {
            runner.load(); // each workload once, before anything is written
        } catch (InputException | IllegalArgumentException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        if (resources) {
            runner.withResources(hardware);
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
            List<Path> plots = SweepPlots.forSweep(spec, family, o, resources);
            System.out.println("wrote " + String.join(", ", o.reports().stream().map(Path::toString).toList()));
            for (Path p : plots) {
                System.out.println("plot  " + p);
            }
        }
        System.out.println(o.summaryLine((System.nanoTime() - start) / 1e9));
        return o.complete() ? 0 : 130;
    }
}
