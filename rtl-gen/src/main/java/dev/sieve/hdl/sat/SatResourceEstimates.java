package dev.sieve.hdl.sat;

import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.tools.GeneratedRtl;
import dev.sieve.tools.ResourceReport;
import dev.sieve.tools.YosysEstimate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Yosys ({@code synth_xilinx -family xcup -noiopad}) resource estimates of SAT arrays, printed as a
 * markdown table with the XCVU9P fractions. Usage: {@code SatResourceEstimates [RxC[:int8|bf16] ...]}
 * (default: 8x8 and 16x16 in both formats and 32x32 INT8; L = 4, SatConfig's default patterns, one row
 * segment, the default FP32 adder stages), with the logic depth and the clock it suggests.
 */
public final class SatResourceEstimates {
    private SatResourceEstimates() {
    }

    public static void main(String[] args) throws Exception {
        String[] specs = args.length > 0 ? args : new String[] {"8x8:int8", "8x8:bf16", "16x16:int8", "16x16:bf16",
            "32x32:int8"};
        Path dir = Files.createTempDirectory("sat-yosys");
        System.out.println("| array | format | LUT | FF | DSP | BRAM36 | LUT % | FF % | DSP % | BRAM % | logic depth (LUT + carry + DSP) | suggested MHz | Yosys s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String spec : specs) {
            String[] parts = spec.split(":");
            String[] rc = parts[0].split("x");
            NumberFormat f = NumberFormat.parse(parts.length > 1 ? parts[1] : "int8");
            SatConfig cfg = SatConfig.of(Integer.parseInt(rc[0]), Integer.parseInt(rc[1])).withFormat(f).withRowSegments(1);
            SparsePeArray array = new SparsePeArray(cfg);
            GeneratedRtl rtl = GeneratedRtl.generate(array.build(), dir.resolve(array.moduleName()));
            long t0 = System.nanoTime();
            ResourceReport r = new YosysEstimate("xcup", java.util.List.of("-noiopad"), 3600).run(rtl.files(), rtl.top());
            double s = (System.nanoTime() - t0) / 1e9;
            ResourceReport.Depth d = r.logicDepth().orElseThrow();
            System.out.println(String.format(Locale.ROOT,
                    "| %s | %s | %d | %d | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %d (%d + %d + %d) | %.0f | %.0f |",
                    parts[0], f.label(), r.lutSites(), r.ff(), r.dsp(), r.bram36(), 100 * r.lutFraction(),
                    100 * r.ffFraction(), 100 * r.dspFraction(), 100 * r.bramFraction(), d.levels(), d.lutLevels(),
                    d.carryCells(), d.dspCells(), d.suggestedClockMhz(), s));
        }
    }
}
