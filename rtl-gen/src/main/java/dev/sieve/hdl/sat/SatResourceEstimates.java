package dev.sieve.hdl.sat;

import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.hdl.ModuleDef;
import dev.sieve.tools.GeneratedRtl;
import dev.sieve.tools.HierarchicalEstimate;
import dev.sieve.tools.ResourceReport;
import dev.sieve.tools.YosysEstimate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Yosys resource estimates of whole SAT accelerators ({@link SatAccelerator}: PE array, N:M
 * pre-generation unit, block-RAM buffers, controller, AXI ports), printed as a markdown table with
 * the XCVU9P fractions, the logic depth and the clock it suggests. Each distinct module is
 * synthesized once ({@link HierarchicalEstimate}, cached by content hash) and counted by its
 * instances, so 16x16 BF16 and 32x32 INT8 take minutes, not hours.
 *
 * <p>Usage: {@code SatResourceEstimates [--flat] [RxC[:int8|bf16][:KiB or ifmap/weight/ofmap KiB][:nopregen] ...]} (default: 8x8 and 16x16
 * in both formats and 32x32 INT8; L = 4, SatConfig's default patterns, one row segment, the default
 * FP32 adder stages, 512 KiB per buffer unless given). {@code --flat} also synthesizes each design
 * flattened ({@code synth_xilinx -flatten}) and prints both, to check the module-by-module totals.
 */
public final class SatResourceEstimates {
    private SatResourceEstimates() {
    }

    /** The accelerator of one {@code RxC[:format][:KiB or ifmap/weight/ofmap KiB][:nopregen]} spec. */
    static SatAccelerator accelerator(String spec) {
        boolean pregen = !spec.endsWith(":nopregen");
        String[] parts = spec.replace(":nopregen", "").split(":");
        String[] rc = parts[0].split("x");
        NumberFormat f = NumberFormat.parse(parts.length > 1 ? parts[1] : "int8");
        String[] kib = (parts.length > 2 ? parts[2] : String.valueOf(SatConfig.DEFAULT_BUFFER_KIB)).split("/");
        int ifmap = Integer.parseInt(kib[0]);
        int weight = kib.length > 1 ? Integer.parseInt(kib[1]) : ifmap;
        int ofmap = kib.length > 2 ? Integer.parseInt(kib[2]) : ifmap;
        SatConfig cfg = SatConfig.of(Integer.parseInt(rc[0]), Integer.parseInt(rc[1])).withFormat(f).withRowSegments(1)
                .withBuffersKiB(ifmap, weight, ofmap);
        return new SatAccelerator(new SatAcceleratorLayout(SatDatapath.of(cfg), pregen));
    }

    public static void main(String[] args) throws Exception {
        List<String> specs = new ArrayList<>(List.of(args));
        boolean flat = specs.remove("--flat");
        if (specs.isEmpty()) {
            specs.addAll(List.of("8x8:int8", "8x8:bf16", "16x16:int8", "16x16:bf16", "32x32:int8"));
        }
        System.out.println("| accelerator | method | LUT | FF | DSP | BRAM36 | logic depth (LUT + carry + DSP) | suggested MHz"
                + " | deepest module | Yosys s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String spec : specs) {
            ModuleDef design = accelerator(spec).build();
            long t0 = System.nanoTime();
            HierarchicalEstimate.Result h = HierarchicalEstimate.estimate(design, System.err::println);
            print(spec, "by module", h.total(), h.deepestModule(), (System.nanoTime() - t0) / 1e9);
            for (HierarchicalEstimate.Part p : h.parts()) {
                ResourceReport o = p.own();
                System.err.printf(Locale.ROOT, "  %s x%d: LUT %d FF %d DSP %d BRAM36 %.1f depth %s%n", p.module(),
                        p.instances(), o.lutSites(), o.ff(), o.dsp(), o.bram36(),
                        o.logicDepth().map(d -> d.levels() + " (" + d.lutLevels() + " + " + d.carryCells() + " + "
                                + d.dspCells() + ")").orElse("-"));
            }
            if (flat) {
                Path dir = Files.createTempDirectory("sat-yosys");
                GeneratedRtl rtl = GeneratedRtl.generate(design, dir.resolve(design.name()));
                t0 = System.nanoTime();
                ResourceReport r = new YosysEstimate("xcup", List.of("-noiopad", "-flatten"), 4 * 3600)
                        .run(rtl.files(), rtl.top());
                print(spec, "flattened", r, "", (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private static void print(String spec, String method, ResourceReport r, String deepest, double seconds) {
        ResourceReport.Depth d = r.logicDepth().orElseThrow();
        System.out.println(String.format(Locale.ROOT,
                "| %s | %s | %,d (%.1f %%) | %,d (%.1f %%) | %,d (%.1f %%) | %,.1f (%.1f %%) | %d (%d + %d + %d) | %.0f | %s | %.0f |",
                spec, method, r.lutSites(), 100 * r.lutFraction(), r.ff(), 100 * r.ffFraction(), r.dsp(),
                100 * r.dspFraction(), r.bram36(), 100 * r.bramFraction(), d.levels(), d.lutLevels(), d.carryCells(),
                d.dspCells(), d.suggestedClockMhz(), deepest, seconds));
    }
}
