package dev.sieve.sim.cli;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.VerilatedModel;
import dev.sieve.cosim.Verilator;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.dataflow.workload.Topology;
import dev.sieve.dataflow.workload.TopologyReader;
import dev.sieve.hdl.sat.SatAccelerator;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import dev.sieve.hdl.sat.model.SatAcceleratorBench;
import dev.sieve.sim.sat.SatCosim;
import dev.sieve.sim.sat.SatModel;
import dev.sieve.sim.sat.SatResult;
import dev.sieve.sim.sat.SatRun;
import dev.sieve.tools.GeneratedRtl;
import dev.sieve.tools.HierarchicalEstimate;
import dev.sieve.tools.ResourceReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate demo}: Sieve's main job on the SAT accelerator in about a minute (caches warm):
 * the cycle model runs a training step of the Fashion-MNIST CNN on a 4x4 INT8 SAT accelerator
 * (the record of {@code SatAcceleratorCosimTest}'s INT8 design with one row segment instead of
 * four: a Verilog of its own, compiled on the demo's first run and cached), Sieve generates that accelerator's RTL, lints it and estimates its resources module by
 * module with Yosys, co-simulates one layer's three BDWP passes under Verilator against the model
 * (every output bit, the total cycles), then runs a small SAT design-space sweep with its plots and
 * HTML report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the embedded demo: model, generate, lint, synthesize and co-simulate the SAT accelerator, then sweep.",
        footer = {"", "Example:", "  simulate demo --out out/demo", "", "Last line:",
                "  demo: blocks=1 lint_warnings=0 dsp=D cosim_cycles=C mismatches=0 sweep_points=12 dir=DIR wall_s=W"
                        + " lut=L bram36=B fmax_mhz=F passes=P cycle_exact=P bit_exact=P"})
public final class DemoCommand implements Callable<Integer> {

    /** The layer whose training passes are co-simulated. */
    static final String COSIM_LAYER = "conv2";

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "demo");

    /**
     * The demo's accelerator: 4x4 PEs of 4 INT8 multipliers, dense/1:4/2:4/2:8, one row segment,
     * 256/128/256 KiB buffers, 16 B/cycle memory: {@code SatAcceleratorCosimTest}'s INT8 record with one
     * row segment (that test builds for four), so a Verilator cache entry of its own.
     */
    static SatConfig acceleratorConfig() {
        return SatConfig.of(4, 4).withMultipliersPerPe(4, List.of(NmPattern.DENSE, new NmPattern(1, 4),
                        new NmPattern(2, 4), new NmPattern(2, 8))).withFormat(NumberFormat.INT8_INT32).withRowSegments(1)
                .withBuffersKiB(256, 128, 256).withDramBytesPerCycle(SatAcceleratorLayout.BUS_BYTES);
    }

    /** Copies an example file out of the jar into {@code dir}. */
    static Path extract(Path dir, String name) {
        try (java.io.InputStream in = DemoCommand.class.getResourceAsStream("/sieve-examples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the demo's " + name + " is not in the jar; rebuild with ./simulate");
            }
            dev.sieve.io.AtomicFiles.write(dir.resolve(name), in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir.resolve(name);
    }

    /** Copies the demo sweep spec and its topology out of the jar into {@code dir}; returns the spec. */
    static Path extractDemoSweep(Path dir) {
        extract(dir, "topologies/resnet18_cifar10.csv");
        return extract(dir, "sweeps/small-sat.yaml");
    }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        dev.sieve.io.OutputDir.prepare(out, "--out");
        SatConfig cfg = acceleratorConfig();
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(cfg);
        NmPattern nm = new NmPattern(2, 8);

        // (1) the model: a training step of the Fashion-MNIST CNN, 2:8 against dense
        Path topoFile = extract(out.resolve("inputs"), "topologies/fmnist_cnn.csv");
        Topology topo = TopologyReader.read(topoFile);
        System.out.println("== model: SAT " + cfg.rows() + "x" + cfg.cols() + " INT8, L=" + cfg.multipliersPerPe()
                + ", training step of " + topoFile.getFileName() + " at batch 1");
        SatResult sparse = SatModel.simulate(cfg, topo, new SatRun(1, nm, true, BackwardMaskSource.DENSE));
        SatResult dense = SatModel.simulate(cfg, topo, new SatRun(1, NmPattern.DENSE, true, BackwardMaskSource.DENSE));
        System.out.printf(Locale.ROOT, "model: step %s %,d cycles, dense %,d cycles, speedup %.2fx"
                        + " (GEMM passes only %,d / %,d, %.2fx; at batch 1 the weight update dominates)%n%n", nm,
                sparse.totalCycles(), dense.totalCycles(), (double) dense.totalCycles() / sparse.totalCycles(),
                sparse.gemmCycles(), dense.gemmCycles(), (double) dense.gemmCycles() / sparse.gemmCycles());

        // (2) the generated RTL: lint and resources, module by module
        SatAccelerator generator = new SatAccelerator(layout);
        dev.sieve.hdl.ModuleDef design = generator.build();
        System.out.println("== RTL: " + design.name());
        GeneratedRtl rtl = GeneratedRtl.generate(design, out.resolve("sat_accelerator"));
        System.out.println("wrote " + rtl.files().size() + " modules to " + out.resolve("sat_accelerator") + "; lint: "
                + "verilator --lint-only -Wall: " + rtl.lint().findings().size() + " warnings");
        boolean[] noted = {false};
        HierarchicalEstimate.Result est = HierarchicalEstimate.estimate(design, line -> {
            if (!noted[0]) {
                noted[0] = true;
                System.out.println("resources: Yosys runs once per module and caches the result (first run only:"
                        + " about 1.5 min on a 2-core machine, most of it the N:M pre-generation unit)");
            }
            System.out.println(line);
        });
        ResourceReport res = est.total();
        System.out.print(res.toTable());
        System.out.println();

        // (3) co-simulation: one layer's forward, data-gradient and weight-gradient passes
        Layer layer = topo.layers().stream().filter(l -> l.name().equals(COSIM_LAYER)).findFirst().orElseThrow();
        int index = topo.layers().indexOf(layer);
        EnergyTable energy = EnergyTable.horowitz45nm(cfg.format());
        List<PassGemm> passes = List.of(Bdwp.forward(layer, index, 1, nm), Bdwp.dataGradient(layer, index, 1, nm),
                Bdwp.weightGradient(layer, index, 1));
        System.out.println("== co-simulation: " + COSIM_LAYER + "'s BDWP passes on the Verilated accelerator against"
                + " the model (outputs bit for bit, busy cycles)");
        CompiledDesign compiled = compileWithProgress(design);
        int cycleExact = 0;
        int bitExact = 0;
        long rtlCycles = 0;
        double rtlSeconds = 0;
        SplittableRandom rnd = new SplittableRandom(1);
        try (VerilatedModel model = compiled.newModel()) {
            SatAcceleratorBench bench = new SatAcceleratorBench(model, 0);
            for (PassGemm g : passes) {
                SatCosim.Outcome o = SatCosim.run(bench, layout, SatModel.pass(cfg, energy, g).schedule(), rnd, 0);
                cycleExact += o.cycleExact() ? 1 : 0;
                bitExact += o.bitExact() ? 1 : 0;
                rtlCycles += o.rtlCycles();
                rtlSeconds += o.seconds();
                System.out.printf(Locale.ROOT, "%s %s %s K=%d M=%d N=%d: model=%d rtl=%d cycle_exact=%s bit_exact=%s%s%n",
                        g.layer(), g.pass().label(), g.pattern(), g.reduction(), g.outputs(), g.vectors(),
                        o.modelCycles(), o.rtlCycles(), o.cycleExact() ? "yes" : "no", o.bitExact() ? "yes" : "no",
                        o.mismatch().map(m -> " (" + m + ")").orElse(""));
            }
        }
        int mismatches = 2 * passes.size() - cycleExact - bitExact;
        System.out.printf(Locale.ROOT, "cosim: %s ran %d passes, %,d cycles (%,.0f cycles/s): %d cycle-exact, %d bit-exact%n%n",
                design.name(), passes.size(), rtlCycles, rtlSeconds > 0 ? rtlCycles / rtlSeconds : 0, cycleExact,
                bitExact);

        // (4) a small design-space sweep of the SAT model on the embedded ResNet-18 topology, and its report
        Path sweepDir = out.resolve("sweep");
        Path spec = extractDemoSweep(sweepDir.resolve("inputs"));
        System.out.println("== sweep " + spec);
        int sweepExit = new picocli.CommandLine(new SweepCommand()).execute(spec.toString(), "--out", sweepDir.toString());
        if (sweepExit != 0) {
            return sweepExit;
        }
        System.out.println("sweep results: " + sweepDir.resolve("points.csv") + ", plot "
                + sweepDir.resolve("plots").resolve("speedup_vs_nm.png") + ", report " + sweepDir.resolve("report.html"));
        System.out.println();

        double wall = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT,
                "demo: blocks=1 lint_warnings=%d dsp=%d cosim_cycles=%d mismatches=%d sweep_points=%d dir=%s wall_s=%.1f"
                        + " lut=%d bram36=%s fmax_mhz=%.0f passes=%d cycle_exact=%d bit_exact=%d%n",
                rtl.lint().findings().size(), res.dsp(), rtlCycles, mismatches, 12, out, wall, res.lutSites(),
                fmt(res.bram36()), res.logicDepth().map(ResourceReport.Depth::suggestedClockMhz).orElse(0.0),
                passes.size(), cycleExact, bitExact);
        return mismatches == 0 ? 0 : 1;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /**
     * Compiles (or takes from the cache) {@code design}; while Verilator runs, a line every 15 s says
     * how long it has taken (a first compile of the accelerator takes minutes).
     */
    private static CompiledDesign compileWithProgress(dev.sieve.hdl.ModuleDef design) {
        long t0 = System.nanoTime();
        Thread ticker = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(15_000);
                    System.out.printf(Locale.ROOT, "cosim: Verilator still compiling (%.0f s; about 1-2 min on an idle"
                            + " 2-core machine, once: cached by content hash)%n", (System.nanoTime() - t0) / 1e9);
                }
            } catch (InterruptedException e) {
                // compile finished
            }
        }, "demo-compile-progress");
        ticker.setDaemon(true);
        ticker.start();
        try {
            CompiledDesign d = Verilator.compile(design);
            if (!d.fromCache()) {
                System.out.printf(Locale.ROOT, "cosim: compiled in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            }
            return d;
        } finally {
            ticker.interrupt();
        }
    }
}
