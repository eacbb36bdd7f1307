package dev.sieve.cosim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.cosim.BuildOptions;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.Verilator;
import dev.sieve.hdl.Component;
import dev.sieve.tools.GeneratedRtl;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The SAT designs the suite co-simulates: each is generated (and linted clean under -Wall) into
 * {@code target/sat-rtl/<module>} and compiled once per JVM (Verilator's cache reuses it across runs).
 */
final class SatDesigns {
    /** The patterns of issue 4's acceptance list, besides dense (always code 0). */
    static final List<NmPattern> PATTERNS = List.of(new NmPattern(1, 4), new NmPattern(2, 4), new NmPattern(2, 8));

    private static final Map<String, CompiledDesign> COMPILED = new ConcurrentHashMap<>();

    private SatDesigns() {
    }

    /** A single PE's description: a 1 x 1 array of L multipliers with {@code patterns} (dense is always code 0). */
    static SatConfig pe(int multipliers, List<NmPattern> patterns, NumberFormat format) {
        return SatConfig.of(1, 1).withMultipliersPerPe(multipliers, patterns).withFormat(format);
    }

    static CompiledDesign compile(Supplier<Component> generator) {
        return compile(generator, BuildOptions.DEFAULT);
    }

    /** {@link #compile(Supplier)} built with {@code options} (the accelerator's native AXI memory, for one). */
    static CompiledDesign compile(Supplier<Component> generator, BuildOptions options) {
        Component c = generator.get();
        String key = options.isDefault() ? c.moduleName() : c.moduleName() + " " + options;
        return COMPILED.computeIfAbsent(key, k -> {
            String name = c.moduleName();
            GeneratedRtl rtl = GeneratedRtl.generate(c.build(), Path.of("target", "sat-rtl", name));
            if (!rtl.lint().clean()) {
                throw new AssertionError("lint findings in " + name + ": " + rtl.lint());
            }
            return Verilator.compile(rtl.files(), rtl.top(), options);
        });
    }
}
