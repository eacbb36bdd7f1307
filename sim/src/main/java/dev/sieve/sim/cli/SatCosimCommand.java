package dev.sieve.sim.cli;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.VerilatedModel;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.sat.Schedule;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.dataflow.workload.Topology;
import dev.sieve.dataflow.workload.TopologyException;
import dev.sieve.dataflow.workload.TopologyReader;
import dev.sieve.hdl.sat.SatAccelerator;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import dev.sieve.hdl.sat.model.SatAcceleratorBench;
import dev.sieve.sim.sat.SatCosim;
import dev.sieve.sim.sat.SatFamily;
import dev.sieve.sim.sat.SatModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate cosim sat}: generates (or takes from the Verilator cache) the SAT accelerator of
 * one design point, runs the training passes of the chosen layers on it (forward with N:M
 * weights, data gradient except for the first layer, dense weight gradient; random operands,
 * schedules from the offline scheduler) and prints per pass the model's and the RTL's cycles.
 */
@Command(name = "sat", mixinStandardHelpOptions = true,
        description = "SAT accelerator: every pass of the chosen layers bit- and cycle-exact against the model.",
        footer = {"", "Example:",
                "  simulate cosim sat --topology examples/topologies/fmnist_cnn.csv --array 8x8 --nm 2:8 --format bf16",
                "", "Last line:", "  cosim-sat: layers=L cycle_exact=L1 bit_exact=L2 rtl_cycles_per_s=X wall_s=W",
                "  (a layer counts when all its passes are exact; exit code 1 when one is not)"})
public final class SatCosimCommand implements Callable<Integer> {
    @Option(names = "--topology", required = true, paramLabel = "FILE.csv", description = "SCALE-Sim topology CSV.")
    Path topology;

    @Option(names = "--array", paramLabel = "RxC", description = "PE rows x columns (default: ${DEFAULT-VALUE}).")
    String array = "8x8";

    @Option(names = "--nm", paramLabel = "N:M", description = "N:M pattern of layers without a Sparsity value, or dense (default: ${DEFAULT-VALUE}).")
    String nm = "2:8";

    @Option(names = "--format", paramLabel = "int8|bf16", description = "Number format (default: ${DEFAULT-VALUE}).")
    String format = "int8";

    @Option(names = "--layers", paramLabel = "a,b", split = ",", description = "Layers to run, by name (default: all).")
    List<String> layers;

    @Option(names = "--multipliers", paramLabel = "L", description = "Multipliers per PE (default: ${DEFAULT-VALUE}).")
    int multipliers = SatConfig.DEFAULT_MULTIPLIERS_PER_PE;

    @Option(names = "--buffer-kib", paramLabel = "KiB", description = "Size of each buffer (default: ${DEFAULT-VALUE}).")
    int bufferKib = SatConfig.DEFAULT_BUFFER_KIB;

    @Option(names = "--latency", paramLabel = "CYCLES", description = "Memory latency beyond one beat per cycle (default: ${DEFAULT-VALUE}).")
    int latency = 0;

    @Option(names = "--segments", paramLabel = "S", description = "Most row segments of the interleave mapping the "
            + "accelerator is built for, a power of two dividing rows; the offline scheduler may then choose up to S per "
            + "pass, and a pass whose chosen schedule the accelerator cannot run is refused before anything runs "
            + "(default: ${DEFAULT-VALUE}: the plain array).")
    int segments = 1;

    @Option(names = "--seed", description = "Seed of the random operands (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        Simulate.UsageError.requireRange("--latency", latency, 0, 1000);
        int[] rc;
        try {
            rc = SatFamily.rowsCols(array);
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError("--array '" + array + "' is malformed; " + e.getMessage());
        }
        NumberFormat f = option("--format", () -> NumberFormat.parse(format));
        NmPattern pattern = option("--nm", () -> NmPattern.parse(nm));
        Simulate.UsageError.requireRange("--multipliers", multipliers, SatConfig.RTL_MULTIPLIERS_PER_PE.min(),
                SatConfig.RTL_MULTIPLIERS_PER_PE.max());
        if (multipliers % pattern.n() != 0) {
            throw new Simulate.UsageError("--nm " + pattern + ": N = " + pattern.n() + " must divide --multipliers = "
                    + multipliers + "; allowed N: divisors of " + multipliers);
        }
        Topology topo;
        try {
            topo = TopologyReader.read(topology);
        } catch (TopologyException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        Set<NmPattern> built = builtPatterns(topo, pattern);
        if (segments < 1 || Integer.bitCount(segments) != 1 || rc[0] % segments != 0) {
            throw new Simulate.UsageError("--segments " + segments + " is not allowed for " + rc[0]
                    + " rows; allowed: " + SatConfig.ROW_SEGMENTS_ALLOWED);
        }
        // up to --segments row segments per step; the memory moves one 16-byte beat per cycle
        SatConfig cfg = option("--array", () -> new SatConfig(rc[0], rc[1], multipliers, List.copyOf(built), f,
                bufferKib, bufferKib, bufferKib, SatAcceleratorLayout.BUS_BYTES, SatConfig.DEFAULT_CLOCK_MHZ, segments)
                .requireRtlBuildable());
        SatAcceleratorLayout layout = option("--array", () -> SatAcceleratorLayout.of(cfg));

        List<Layer> chosen = chosenLayers(topo);
        EnergyTable energy = EnergyTable.horowitz45nm(f);
        List<List<Schedule>> plans = new ArrayList<>();
        for (Layer l : chosen) {
            int index = topo.layers().indexOf(l);
            NmPattern p = l.sparsity() != null && !pattern.isDense() ? l.sparsity() : pattern;
            List<PassGemm> passes = new ArrayList<>();
            passes.add(Bdwp.forward(l, index, 1, p));
            if (index > 0) {
                passes.add(Bdwp.dataGradient(l, index, 1, p));
            }
            passes.add(Bdwp.weightGradient(l, index, 1));
            List<Schedule> plan = new ArrayList<>();
            for (PassGemm g : passes) {
                Schedule s;
                try {
                    s = SatModel.pass(cfg, energy, g).schedule();
                    SatCosim.command(layout, s, 0, 0, 0);
                } catch (IllegalArgumentException e) {
                    throw new Simulate.UsageError(topo.source() + ": layer " + l.name() + " " + g.pass().label()
                            + ": " + e.getMessage());
                }
                plan.add(s);
            }
            plans.add(plan);
        }

        CompiledDesign design = SatAcceleratorBench.compile(new SatAccelerator(layout).build());
        SplittableRandom rnd = new SplittableRandom(seed);
        int cycleExact = 0;
        int bitExact = 0;
        long rtlCycles = 0;
        double rtlSeconds = 0;
        try (VerilatedModel model = design.newModel()) {
            SatAcceleratorBench bench = new SatAcceleratorBench(model, latency);
            for (int i = 0; i < chosen.size(); i++) {
                boolean cyc = true;
                boolean bits = true;
                for (Schedule s : plans.get(i)) {
                    SatCosim.Outcome o = SatCosim.run(bench, layout, s, rnd, latency);
                    cyc &= o.cycleExact();
                    bits &= o.bitExact();
                    rtlCycles += o.rtlCycles();
                    rtlSeconds += o.seconds();
                    PassGemm g = s.gemm();
                    System.out.printf(Locale.ROOT, "%s %s %s K=%d M=%d N=%d%s: model=%d rtl=%d cycle_exact=%s bit_exact=%s%s%n",
                            g.layer(), g.pass().label(), g.pattern(), g.reduction(), g.outputs(), g.vectors(),
                            s.segments() > 1 ? " S=" + s.segments() : "",
                            o.modelCycles(), o.rtlCycles(), o.cycleExact() ? "yes" : "no", o.bitExact() ? "yes" : "no",
                            o.mismatch().map(m -> " (" + m + ")").orElse(""));
                }
                cycleExact += cyc ? 1 : 0;
                bitExact += bits ? 1 : 0;
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "cosim-sat: layers=%d cycle_exact=%d bit_exact=%d rtl_cycles_per_s=%.0f wall_s=%.1f%n",
                chosen.size(), cycleExact, bitExact, rtlSeconds > 0 ? rtlCycles / rtlSeconds : 0, wall);
        return cycleExact == chosen.size() && bitExact == chosen.size() ? 0 : 1;
    }

    private List<Layer> chosenLayers(Topology topo) {
        if (layers == null || layers.isEmpty()) {
            return topo.layers();
        }
        List<Layer> out = new ArrayList<>();
        List<String> names = topo.layers().stream().map(Layer::name).toList();
        for (String name : layers) {
            int i = names.indexOf(name.trim());
            if (i < 0) {
                throw new Simulate.UsageError("--layers: '" + name + "' is not a layer of " + topology
                        + "; allowed: " + String.join(", ", names));
            }
            out.add(topo.layers().get(i));
        }
        return out;
    }

    private static <T> T option(String name, java.util.function.Supplier<T> f) {
        return Simulate.UsageError.option(name, f);
    }

    /**
     * The patterns an accelerator for {@code topo} at {@code pattern} is built for: dense, the chosen
     * pattern and every pattern a layer of the topology names, in that order.
     */
    static Set<NmPattern> builtPatterns(Topology topo, NmPattern pattern) {
        Set<NmPattern> built = new LinkedHashSet<>();
        built.add(NmPattern.DENSE);
        built.add(pattern);
        for (Layer l : topo.layers()) {
            if (l.sparsity() != null) {
                built.add(l.sparsity());
            }
        }
        return built;
    }
}
