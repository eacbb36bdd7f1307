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
 * random cycles; it grows as the accelerator models arrive.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the embedded demo: generate, lint, synthesize and co-simulate a few blocks.",
        footer = {"", "Example:", "  simulate demo --out out/demo"})
public final class DemoCommand implements Callable<Integer> {

    private static final long COSIM_CYCLES = 1_000_000;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "demo");

    @Override
    public Integer call() {
        long start = System.nanoTime();
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

        double wall = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT,
                "demo: blocks=%d lint_warnings=%d dsp=%d cosim_cycles=%d mismatches=0 dir=%s wall_s=%.1f%n",
                blocks.size(), lintWarnings, dsp, r.cycles(), out, wall);
        return 0;
    }
}
