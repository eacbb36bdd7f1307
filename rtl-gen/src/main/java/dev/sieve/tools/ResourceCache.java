package dev.sieve.tools;

import dev.sieve.hdl.ModuleDef;
import dev.sieve.hdl.VerilogEmitter;
import dev.sieve.io.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Yosys estimates of generated designs, computed once per content hash (the emitted Verilog, the
 * synthesis script and the Yosys version) and kept in {@code <cache>/yosys/<hash>.properties}, so a
 * sweep over thousands of points synthesizes each distinct hardware configuration once, across runs.
 */
public final class ResourceCache {
    private static final Map<String, ResourceReport> MEMORY = new ConcurrentHashMap<>();
    private static volatile String yosysVersion;

    private ResourceCache() {
    }

    /** The estimate of {@code design} (UltraScale+), from the cache or by running Yosys once. */
    public static ResourceReport estimate(ModuleDef design) {
        Map<String, String> files = VerilogEmitter.emitAll(design);
        String key = key(files, YosysEstimate.XCUP.script(List.of(Path.of("design.v")), design.name()));
        return cached(key, design.name(), () -> synthesize(design));
    }

    /**
     * The report stored under {@code key} (memory, then {@code <cache>/yosys/<key>.properties}), or
     * {@code synthesize}'s, stored there once; one synthesis per key at a time in this process.
     */
    static ResourceReport cached(String key, String top, java.util.function.Supplier<ResourceReport> synthesize) {
        ResourceReport hit = MEMORY.get(key);
        if (hit != null) {
            return hit;
        }
        synchronized (internKey(key)) {
            hit = MEMORY.get(key);
            if (hit != null) {
                return hit;
            }
            Path file = SieveCache.root().resolve("yosys").resolve(key + ".properties");
            ResourceReport r;
            if (Files.isRegularFile(file)) {
                r = load(file, top);
            } else {
                r = synthesize.get();
                store(file, r);
            }
            MEMORY.put(key, r);
            return r;
        }
    }

    /** True when {@code key}'s report is cached (in memory or on disk), so no Yosys run is needed. */
    static boolean isCached(String key) {
        return MEMORY.containsKey(key) || Files.isRegularFile(SieveCache.root().resolve("yosys").resolve(key + ".properties"));
    }

    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

    private static Object internKey(String key) {
        return LOCKS.computeIfAbsent(key, k -> new Object());
    }

    private static ResourceReport synthesize(ModuleDef design) {
        Path dir = VerilatorLint.tempDir();
        try {
            List<Path> written = VerilogEmitter.write(design, dir);
            return YosysEstimate.estimate(written, design.name());
        } finally {
            VerilatorLint.deleteQuietly(dir);
        }
    }

    private static void store(Path file, ResourceReport r) {
        Properties p = new Properties();
        r.cellsByType().forEach((type, n) -> p.setProperty("cell." + type, Integer.toString(n)));
        r.logicDepth().ifPresent(d -> {
            p.setProperty("depth.levels", Integer.toString(d.levels()));
            p.setProperty("depth.carry", Integer.toString(d.carryCells()));
            p.setProperty("depth.dsp", Integer.toString(d.dspCells()));
        });
        for (int i = 0; i < r.warnings().size(); i++) {
            p.setProperty("warning." + i, r.warnings().get(i));
        }
        StringWriter w = new StringWriter();
        try {
            p.store(w, "Yosys estimate of " + r.top());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeString(file, w.toString());
    }

    private static ResourceReport load(Path file, String top) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cached estimate " + file, e);
        }
        Map<String, Integer> cells = new TreeMap<>();
        Map<Integer, String> warnings = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("cell.")) {
                cells.put(k.substring(5), Integer.parseInt(p.getProperty(k)));
            } else if (k.startsWith("warning.")) {
                warnings.put(Integer.parseInt(k.substring(8)), p.getProperty(k));
            }
        }
        ResourceReport r = ResourceReport.fromCellCounts(top, new LinkedHashMap<>(cells), new ArrayList<>(warnings.values()));
        return p.getProperty("depth.levels") == null ? r
                : r.withDepth(new ResourceReport.Depth(Integer.parseInt(p.getProperty("depth.levels")),
                        Integer.parseInt(p.getProperty("depth.carry")), Integer.parseInt(p.getProperty("depth.dsp"))));
    }

    /** SHA-256 (24 hex digits) of the Yosys version, the synthesis script and the Verilog files. */
    static String key(Map<String, String> files, String script) {
        if (yosysVersion == null) {
            yosysVersion = ExternalTool.yosys().version();
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(yosysVersion.getBytes(StandardCharsets.UTF_8));
            sha.update(script.getBytes(StandardCharsets.UTF_8));
            files.forEach((name, text) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update(text.getBytes(StandardCharsets.UTF_8));
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
