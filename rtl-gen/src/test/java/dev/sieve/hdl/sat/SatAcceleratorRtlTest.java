package dev.sieve.hdl.sat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.tools.GeneratedRtl;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole accelerator emits Verilog that passes {@code verilator --lint-only -Wall} with no warnings. */
class SatAcceleratorRtlTest {

    static SatConfig small(NumberFormat f) {
        return SatRtlTest.config(4, 4, f).withBuffersKiB(8, 8, 8);
    }

    @Test
    void int8AndBf16AcceleratorsLintClean(@TempDir Path dir) {
        for (NumberFormat f : NumberFormat.values()) {
            if (!SatConfig.RTL_FORMATS.contains(f)) {
                continue;
            }
            GeneratedRtl rtl = GeneratedRtl.generate(new SatAccelerator(small(f)).build(), dir.resolve(f.label()));
            assertTrue(rtl.lint().clean(), () -> rtl.lint().toString());
            // the segment merge (2 and 4 row segments: chained adds, taps by segment code)
            for (int seg : new int[] {2, 4}) {
                GeneratedRtl s = GeneratedRtl.generate(new SatAccelerator(small(f).withRowSegments(seg)).build(),
                        dir.resolve(f.label() + "_s" + seg));
                assertTrue(s.lint().clean(), () -> s.lint().toString());
            }
        }
    }
}
