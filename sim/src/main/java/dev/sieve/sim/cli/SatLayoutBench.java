package dev.sieve.sim.cli;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.sat.Pass;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.sat.Schedule;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.dataflow.workload.Topology;
import dev.sieve.dataflow.workload.TopologyException;
import dev.sieve.dataflow.workload.TopologyReader;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import dev.sieve.sim.sat.SatCosim;
import dev.sieve.sim.sat.SatFamily;
import dev.sieve.sim.sat.SatLayoutGap;
import dev.sieve.sim.sat.SatModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate bench sat-layout}: for every pass of the chosen topologies on the accelerators
 * {@code simulate cosim sat} builds (one row segment, 16 B/cycle unless told, latency 0), the generated
 * accelerator's busy cycles ({@link SatModel#acceleratorCycles}, what the RTL takes) against the
 * model's ({@link SatModel#pass}) for the schedule the model chose, and the ratio left after each
 * {@link SatLayoutGap.Term} is taken away. Nothing is co-simulated: the accelerator's figure is the
 * rule the co-simulation holds cycle-exact.
 */
@Command(name = "sat-layout", mixinStandardHelpOptions = true,
        description = "SAT accelerator cycles (its DRAM layout) against the model's (packed bytes), per pass kind, "
                + "and what each layout term adds.",
        footer = {"", "Example:", "  simulate bench sat-layout --array 8x8,16x16 --format int8 --nm 2:8", "",
                "Last line: bench-sat-layout: passes=N fits=F ratio_min=A ratio_max=B ratio_total=T"})
public final class SatLayoutBench implements Callable<Integer> {
    @Option(names = "--topology", split = ",", paramLabel = "FILE.csv", description = "Topologies (default: "
            + "examples/topologies/fmnist_cnn.csv and resnet18_cifar10.csv).")
    List<Path> topologies = List.of(Path.of("examples/topologies/fmnist_cnn.csv"),
            Path.of("examples/topologies/resnet18_cifar10.csv"));

    @Option(names = "--array", split = ",", paramLabel = "RxC", description = "Arrays (default: 8x8,16x16,32x32).")
    List<String> arrays = List.of("8x8", "16x16", "32x32");

    @Option(names = "--format", split = ",", paramLabel = "F", description = "Formats (default: int8,bf16).")
    List<String> formats = List.of("int8", "bf16");

    @Option(names = "--nm", split = ",", paramLabel = "N:M", description = "Patterns (default: dense,2:8,2:4,1:4).")
    List<String> patterns = List.of("dense", "2:8", "2:4", "1:4");

    @Option(names = "--buffer-kib", paramLabel = "KiB", description = "Size of each buffer (default: ${DEFAULT-VALUE}).")
    int bufferKib = SatConfig.DEFAULT_BUFFER_KIB;

    @Option(names = "--dram-bytes-per-cycle", paramLabel = "B", description = "Bandwidth each way; 16 is the "
            + "accelerator's port, one beat per cycle (default: ${DEFAULT-VALUE}).")
    double bandwidth = SatAcceleratorLayout.BUS_BYTES;

    @Option(names = "--passes", description = "Print one line per pass too.")
    boolean perPass;

    @Override
    public Integer call() {
        Simulate.UsageError.requireRange("--buffer-kib", bufferKib, 1, 1 << 20);
        if (!(bandwidth >= 1 && bandwidth <= SatConfig.MAX_DRAM_BYTES_PER_CYCLE)) {
            throw new Simulate.UsageError("--dram-bytes-per-cycle = " + bandwidth + " is out of range; allowed 1 .. "
                    + (long) SatConfig.MAX_DRAM_BYTES_PER_CYCLE);
        }
        // every option and topology is checked before anything is printed
        List<Point> points = new ArrayList<>();
        for (Path file : topologies) {
            Topology topo;
            try {
                topo = TopologyReader.read(file);
            } catch (TopologyException e) {
                throw new Simulate.UsageError(e.getMessage());
            }
            String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
            for (String array : arrays) {
                int[] rc;
                try {
                    rc = SatFamily.rowsCols(array);
                } catch (IllegalArgumentException e) {
                    throw new Simulate.UsageError("--array '" + array + "' is malformed; " + e.getMessage());
                }
                for (String fmt : formats) {
                    NumberFormat f = option("--format", () -> NumberFormat.parse(fmt));
                    for (String nm : patterns) {
                        NmPattern pattern = option("--nm", () -> NmPattern.parse(nm));
                        if (SatConfig.DEFAULT_MULTIPLIERS_PER_PE % pattern.n() != 0) {
                            throw new Simulate.UsageError("--nm " + pattern + ": N = " + pattern.n() + " must divide "
                                    + SatConfig.DEFAULT_MULTIPLIERS_PER_PE + " multipliers per PE; allowed N: divisors of "
                                    + SatConfig.DEFAULT_MULTIPLIERS_PER_PE);
                        }
                        Set<NmPattern> built = SatCosimCommand.builtPatterns(topo, pattern);
                        SatConfig cfg = option("--array", () -> new SatConfig(rc[0], rc[1],
                                SatConfig.DEFAULT_MULTIPLIERS_PER_PE, List.copyOf(built), f, bufferKib, bufferKib,
                                bufferKib, bandwidth, SatConfig.DEFAULT_CLOCK_MHZ, 1)
                                .requireRtlBuildable());
                        SatAcceleratorLayout layout = option("--array", () -> SatAcceleratorLayout.of(cfg));
                        points.add(new Point(name, topo, array, f, pattern, cfg, layout));
                    }
                }
            }
        }
        SatLayoutGap.Term[] terms = SatLayoutGap.Term.values();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-18s %-6s %-5s %-6s %-6s %6s %12s %12s %7s %7s %7s",
                "topology", "array", "fmt", "nm", "pass", "passes", "model", "accel", "ratio", "min", "max"));
        for (SatLayoutGap.Term t : terms) {
            head.append(String.format(Locale.ROOT, " %10s", "-" + t.label()));
        }
        System.out.println(head);
        long passes = 0;
        long fits = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        long modelAll = 0;
        long accelAll = 0;
        for (Point pt : points) {
            String name = pt.name();
            Topology topo = pt.topology();
            String array = pt.array();
            NumberFormat f = pt.format();
            NmPattern pattern = pt.pattern();
            SatConfig cfg = pt.config();
            SatAcceleratorLayout layout = pt.layout();
            EnergyTable energy = EnergyTable.horowitz45nm(f);
            for (Pass kind : Pass.values()) {
                long model = 0;
                long accel = 0;
                long[] after = new long[terms.length];
                int n = 0;
                double lo = Double.MAX_VALUE;
                double hi = 0;
                for (int i = 0; i < topo.layers().size(); i++) {
                    Layer l = topo.layers().get(i);
                    NmPattern p = l.sparsity() != null && !pattern.isDense() ? l.sparsity() : pattern;
                    PassGemm g = switch (kind) {
                        case FORWARD -> Bdwp.forward(l, i, 1, p);
                        case DATA_GRADIENT -> i == 0 ? null : Bdwp.dataGradient(l, i, 1, p);
                        case WEIGHT_GRADIENT -> Bdwp.weightGradient(l, i, 1);
                    };
                    if (g == null) {
                        continue;
                    }
                    var stats = SatModel.pass(cfg, energy, g);
                    Schedule s = stats.schedule();
                    boolean fit;
                    try {
                        SatCosim.command(layout, s, 0, 0, 0);
                        fit = true;
                    } catch (IllegalArgumentException e) {
                        fit = false;
                    }
                    long a = SatLayoutGap.cycles(s, 0);
                    if (bandwidth == SatAcceleratorLayout.BUS_BYTES && a != SatModel.acceleratorCycles(s, 0)) {
                        throw new IllegalStateException(g.layer() + " " + kind.label() + ": the layout "
                                + "terms give " + a + " cycles, the accelerator's rule "
                                + SatModel.acceleratorCycles(s, 0));
                    }
                    double r = (double) a / stats.cycles();
                    model += stats.cycles();
                    accel += a;
                    lo = Math.min(lo, r);
                    hi = Math.max(hi, r);
                    n++;
                    fits += fit ? 1 : 0;
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                            "  %s %s %s K=%d M=%d N=%d %s: model=%d accel=%d ratio=%.3f%s", l.name(),
                            kind.label(), p, g.reduction(), g.outputs(), g.vectors(), s.describe(),
                            stats.cycles(), a, r, fit ? "" : " (beyond the buffers)"));
                    for (int t = 0; t < terms.length; t++) {
                        long c = SatLayoutGap.cycles(s, t + 1);
                        after[t] += c;
                        line.append(String.format(Locale.ROOT, " -%s=%.3f", terms[t].label(),
                                (double) c / stats.cycles()));
                    }
                    if (perPass) {
                        System.out.println(line);
                    }
                }
                if (n == 0) {
                    continue;
                }
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT,
                        "%-18s %-6s %-5s %-6s %-6s %6d %12d %12d %7.3f %7.3f %7.3f", name, array, f.label(),
                        pattern, kind.label(), n, model, accel, (double) accel / model, lo, hi));
                for (int t = 0; t < terms.length; t++) {
                    row.append(String.format(Locale.ROOT, " %10.3f", (double) after[t] / model));
                }
                System.out.println(row);
                passes += n;
                modelAll += model;
                accelAll += accel;
                min = Math.min(min, lo);
                max = Math.max(max, hi);
            }
        }
        for (SatLayoutGap.Term t : terms) {
            System.out.println("-" + t.label() + ": ratio with this term taken away too (" + t.meaning() + ")");
        }
        System.out.printf(Locale.ROOT, "bench-sat-layout: passes=%d fits=%d ratio_min=%.3f ratio_max=%.3f ratio_total=%.3f%n",
                passes, fits, min, max, (double) accelAll / Math.max(1, modelAll));
        return 0;
    }

    /** One accelerator of the table: a topology on an array, format and pattern. */
    private record Point(String name, Topology topology, String array, NumberFormat format, NmPattern pattern,
                         SatConfig config, SatAcceleratorLayout layout) {
    }

    private static <T> T option(String name, java.util.function.Supplier<T> f) {
        return Simulate.UsageError.option(name, f);
    }
}
