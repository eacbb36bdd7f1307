package dev.sieve.sim.cli;

import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.Lockstep;
import dev.sieve.cosim.LockstepResult;
import dev.sieve.cosim.Verilator;
import dev.sieve.hdl.lib.Mac;
import dev.sieve.hdl.lib.model.MacModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate demo}: the main job on embedded defaults. For now it generates three library
 * blocks (a 16x16 signed MAC, a 32-bit x 64 FIFO, a pipelined 8-input adder tree), lints them and
 * estimates their resources, then co-simulates the MAC against its Java model for a million
 * random cycles, and runs a small SAT design-space sweep (3 array sizes x 4 N:M patterns on
 * ResNet-18) that writes its CSVs and plots.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the embedded demo: generate, lint, synthesize and co-simulate a few blocks.",
        footer = {"", "Example:", "  simulate demo --out out/demo"})
public final class DemoCommand implements Callable<Integer> {

    private static final long COSIM_CYCLES = 1_000_000;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "demo");

    /** Copies the demo sweep spec and its topology out of the jar into {@code dir}; returns the spec. */
    static Path extractDemoSweep(Path dir) {
        for (String name : new String[] {"topologies/resnet18_cifar10.csv", "sweeps/small-sat.yaml"}) {
            try (java.io.InputStream in = DemoCommand.class.getResourceAsStream("/sieve-examples/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the demo's " + name + " is not in the jar; rebuild with ./simulate");
                }
                dev.sieve.io.AtomicFiles.write(dir.resolve(name), in.readAllBytes());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return dir.resolve("sweeps/small-sat.yaml");
    }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        dev.sieve.io.OutputDir.prepare(out, "--out");
        Map<String, Map<String, String>> blocks = new LinkedHashMap<>();
        blocks.put("mac", Map.of("a_width", "16", "b_width", "16", "acc_width", "40", "signed", "true"));
        blocks.put("fifo", Map.of("width", "32", "depth", "64"));
        blocks.put("adder_tree", Map.of("width", "8", "count", "8", "pipelined", "true"));
        int lintWarnings = 0;
        int dsp = 0;
        for (Map.Entry<String, Map<String, String>> b : blocks.entrySet()) {
            System.out.println("== " + b.getKey() + " " + b.getValue());
            RtlCommand.Outcome o = RtlCommand.generate(b.getKey(), b.getValue(), out.resolve(b.getKey()), true,
                    System.out);
            lintWarnings += o.rtl().lint().findings().size();
            dsp += o.resources().dsp();
            System.out.println();
        }
        // co-simulate the MAC against its Java model, cycle by cycle
        Mac.Config macCfg = new Mac.Config(16, 16, 40, true);
        CompiledDesign mac = Verilator.compile(new Mac(macCfg).build());
        LockstepResult r = Lockstep.of(mac, new MacModel(macCfg)).cycles(COSIM_CYCLES).seed(1).check();
        System.out.printf(Locale.ROOT, "cosim: %s matched its Java model on %,d random cycles (%,.0f cycles/s)%n%n",
                mac.top(), r.cycles(), r.cyclesPerSecond());

        // a small design-space sweep of the SAT model on the embedded ResNet-18 topology
        Path sweepDir = out.resolve("sweep");
        Path spec = extractDemoSweep(sweepDir.resolve("inputs"));
        System.out.println("== sweep " + spec);
        int sweepExit = new picocli.CommandLine(new SweepCommand()).execute(spec.toString(), "--out", sweepDir.toString());
        if (sweepExit != 0) {
            return sweepExit;
        }
        System.out.println("sweep results: " + sweepDir.resolve("points.csv") + ", plot "
                + sweepDir.resolve("plots").resolve("speedup_vs_nm.png"));
        System.out.println();

        double wall = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT,
                "demo: blocks=%d lint_warnings=%d dsp=%d cosim_cycles=%d mismatches=0 sweep_points=%d dir=%s wall_s=%.1f%n",
                blocks.size(), lintWarnings, dsp, r.cycles(), 12, out, wall);
        return 0;
    }
}
