package dev.sieve.tools;

import dev.sieve.hdl.ModuleDef;
import dev.sieve.hdl.VerilogEmitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Yosys estimates of a whole design, one module at a time: every distinct module of the hierarchy
 * is synthesized once ({@code synth_xilinx -family xcup -noiopad -top M}, its submodules read as
 * black boxes) and cached by content hash (the module's Verilog, its submodules' Verilog, the
 * script and the Yosys version) in {@code <cache>/yosys/}, so a 32x32 array costs one PE and one
 * array shell, not 1,024 PEs, and designs that share a module (the PE, the pre-generation unit)
 * share its synthesis across sizes and runs.
 *
 * <p><b>Totals</b> are each module's own primitives times its instance count, the counts taken from
 * what each synthesized parent places ({@code stat}'s cells of the child's type), from the top down.
 * That is what {@code synth_xilinx} without {@code -flatten} computes for the whole design (it
 * optimizes no logic across module boundaries either); a flattened synthesis can still remove logic
 * behind constant or unread ports. Clock buffers that each module run inserts are counted at the
 * top only.
 *
 * <p><b>Logic depth</b>: each module's longest path with its submodule instances cut out, so their
 * pins end paths as registers do ({@link YosysEstimate#runModule}); the design's depth is the
 * deepest module's (by the delay {@link ResourceReport.Depth} assigns). Exact when every module
 * boundary has a register on at least one side with no logic between it and the pin; otherwise a
 * path crossing a boundary is longer, which the flattened comparison in the SAT tests bounds.
 */
public final class HierarchicalEstimate {
    /** The script options of every module run: UltraScale+, no I/O buffers (inner ports are not pins). */
    public static final YosysEstimate MODULE = new YosysEstimate("xcup", List.of("-noiopad"), 3600);

    private HierarchicalEstimate() {
    }

    /** One module of the design: how many instances the design holds and what one costs by itself. */
    public record Part(String module, long instances, ResourceReport own) {
    }

    /** The whole design's estimate, its parts (children first) and the module whose path is deepest. */
    public record Result(ResourceReport total, List<Part> parts, String deepestModule) {
    }

    /** {@link #estimate(ModuleDef, Consumer)} without progress lines. */
    public static Result estimate(ModuleDef top) {
        return estimate(top, s -> { });
    }

    /**
     * Estimates {@code top} module by module; {@code progress} gets one line before each module that
     * is not cached yet is synthesized.
     */
    public static Result estimate(ModuleDef top, Consumer<String> progress) {
        List<ModuleDef> modules = top.hierarchy();
        Map<String, String> text = new LinkedHashMap<>();
        for (ModuleDef m : modules) {
            text.put(m.name(), VerilogEmitter.emit(m));
        }
        Map<String, ResourceReport> own = new LinkedHashMap<>();
        int done = 0;
        for (ModuleDef m : modules) {
            done++;
            List<String> children = children(m);
            Map<String, String> files = new LinkedHashMap<>();
            files.put(m.name() + ".v", text.get(m.name()));
            for (String c : children) {
                files.put("lib/" + c + ".v", text.get(c));
            }
            // the key's script names fixed paths, so it does not depend on where the files are written
            String script = MODULE.script(children.stream().map(c -> Path.of("/design/lib", c + ".v")).toList(),
                    List.of(Path.of("/design", m.name() + ".v")), m.name(), children);
            String key = ResourceCache.key(files, script);
            if (!ResourceCache.isCached(key)) {
                progress.accept("resources: synthesizing module " + m.name() + " (" + done + " of " + modules.size()
                        + ", cached by content hash)");
            }
            own.put(m.name(), ResourceCache.cached(key, m.name(), () -> synthesize(files, m.name(), children)));
        }
        return compose(top.name(), own);
    }

    /**
     * Composes per-module reports ({@code own}: module name to its report, whose cells of a
     * submodule's type count that submodule's instances) into the design's totals.
     */
    static Result compose(String top, Map<String, ResourceReport> own) {
        Map<String, Long> instances = new LinkedHashMap<>();
        instances.put(top, 1L);
        List<String> order = new ArrayList<>(own.keySet());
        java.util.Collections.reverse(order); // parents before children
        for (String m : order) {
            long n = instances.getOrDefault(m, 0L);
            own.get(m).cellsByType().forEach((type, count) -> {
                if (own.containsKey(type)) {
                    instances.merge(type, n * count, Long::sum);
                }
            });
        }
        Map<String, Integer> total = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        ResourceReport.Depth deepest = null;
        String deepestModule = null;
        for (Map.Entry<String, ResourceReport> e : own.entrySet()) {
            String m = e.getKey();
            long n = instances.getOrDefault(m, 0L);
            ResourceReport r = e.getValue();
            Map<String, Integer> cells = new TreeMap<>();
            r.cellsByType().forEach((type, count) -> {
                boolean child = own.containsKey(type);
                boolean clockOrIo = ResourceReport.classify(type).kind() == ResourceReport.Kind.IO;
                if (!child && !(clockOrIo && !m.equals(top))) {
                    cells.put(type, count);
                }
            });
            ResourceReport mine = ResourceReport.fromCellCounts(m, cells, r.warnings());
            if (r.logicDepth().isPresent()) {
                mine = mine.withDepth(r.logicDepth().get());
            }
            parts.add(new Part(m, n, mine));
            if (n == 0) {
                continue;
            }
            cells.forEach((type, count) -> total.merge(type, Math.toIntExact(n * count), Math::addExact));
            r.warnings().forEach(w -> warnings.add(m + ": " + w));
            ResourceReport.Depth d = r.logicDepth().orElse(null);
            if (d != null && (deepest == null || DEPTH_ORDER.compare(d, deepest) > 0)) {
                deepest = d;
                deepestModule = m;
            }
        }
        ResourceReport t = ResourceReport.fromCellCounts(top, total, warnings);
        return new Result(deepest == null ? t : t.withDepth(deepest), List.copyOf(parts), deepestModule);
    }

    private static final Comparator<ResourceReport.Depth> DEPTH_ORDER = Comparator
            .comparingDouble(ResourceReport.Depth::delayNs).thenComparingInt(ResourceReport.Depth::levels);

    /** The distinct modules {@code m} instantiates, in order of first instance. */
    private static List<String> children(ModuleDef m) {
        List<String> c = new ArrayList<>();
        for (ModuleDef.InstanceDef i : m.instances()) {
            if (!c.contains(i.module().name())) {
                c.add(i.module().name());
            }
        }
        return c;
    }

    private static ResourceReport synthesize(Map<String, String> files, String top, List<String> children) {
        Path dir = VerilatorLint.tempDir();
        try {
            List<Path> lib = new ArrayList<>();
            Path file = null;
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
                if (f.getKey().startsWith("lib/")) {
                    lib.add(p);
                } else {
                    file = p;
                }
            }
            return MODULE.runModule(file, lib, top, children);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            VerilatorLint.deleteQuietly(dir);
        }
    }
}
