package dev.sieve.sim.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate demo}: the main job on embedded defaults. For now it generates three library
 * blocks (a 16x16 signed MAC, a 32-bit x 64 FIFO, a pipelined 8-input adder tree), lints them and
 * estimates their resources; it grows as the accelerator models arrive.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the embedded demo: generate, lint and synthesize a few blocks into DIR.",
        footer = {"", "Example:", "  simulate demo --out out/demo"})
public final class DemoCommand implements Callable<Integer> {

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
        double wall = (System.nanoTime() - start) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "demo: blocks=%d lint_warnings=%d dsp=%d dir=%s wall_s=%.1f%n",
                blocks.size(), lintWarnings, dsp, out, wall);
        return 0;
    }
}
