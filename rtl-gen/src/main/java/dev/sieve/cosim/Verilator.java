package dev.sieve.cosim;

import dev.sieve.hdl.ModuleDef;
import dev.sieve.hdl.VerilogEmitter;
import dev.sieve.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the co-simulation harness: turns Verilog files into a {@link CompiledDesign}
 * whose {@link CompiledDesign#newModel()} gives independent simulator instances.
 *
 * <p>Each design is built once per content hash (Verilog bytes, file names, top, parameters,
 * Verilator version, build flags and the wrapper templates) into
 * {@code <cache>/verilator/<hash>/model.so}, where {@code <cache>} is the system property
 * {@code sieve.cache.dir}, else the environment variable {@code SIEVE_CACHE_DIR}, else
 * {@code ~/.cache/sieve}. Builds happen in a private temporary directory that is renamed into place
 * atomically, under a lock file, so concurrent tests and JVMs can ask for the same design at once.
 * Every call logs one line to stderr: {@code cosim: compiling <top> (<hash12>) ...} or
 * {@code cosim: reusing compiled <top> (<hash12>)}.
 */
public final class Verilator {
    private Verilator() {}

    /** Compiles (or reuses) {@code files} with {@code top} as the top module. */
    public static CompiledDesign compile(List<Path> files, String top) {
        return ModelBuilder.compile(files, top, Map.of());
    }

    /**
     * Compiles (or reuses) {@code files} with {@code top} as the top module, overriding top-level
     * parameters ({@code -G<name>=<value>}); values are written as given by {@code toString()}.
     */
    public static CompiledDesign compile(List<Path> files, String top, Map<String, ?> parameters) {
        return ModelBuilder.compile(files, top, parameters);
    }

    /**
     * Compiles (or reuses) {@code files} with {@code top} as the top module, built with
     * {@code options} (a native AXI memory, extra Verilator flags); cached apart from the plain build.
     */
    public static CompiledDesign compile(List<Path> files, String top, BuildOptions options) {
        return ModelBuilder.compile(files, top, Map.of(), options);
    }

    /** Compiles (or reuses) a design built with Sieve's HDL layer with {@code options}. */
    public static CompiledDesign compile(ModuleDef top, BuildOptions options) {
        return compile(materialize(VerilogEmitter.emitAll(top)), top.name(), options);
    }

    /**
     * Compiles (or reuses) a design built with Sieve's HDL layer: its files are emitted into
     * {@code <cache>/verilator/sources/<hash12>/} (content-addressed, written atomically) and compiled
     * with {@code top.name()} as the top module.
     */
    public static CompiledDesign compile(ModuleDef top) {
        return compile(materialize(VerilogEmitter.emitAll(top)), top.name());
    }

    /**
     * Writes {@code files} (file name → text) into a content-addressed folder of the cache and
     * returns their paths in order; an existing identical folder is reused.
     */
    public static List<Path> materialize(Map<String, String> files) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            sha.update(f.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(f.getValue().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        Path dir = ModelBuilder.cacheRoot().resolve("sources").resolve(HexFormat.of().formatHex(sha.digest()).substring(0, 12));
        List<Path> out = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            if (!Files.isRegularFile(file)) {
                AtomicFiles.writeString(file, f.getValue());
            }
            out.add(file);
        }
        return out;
    }

    /** Directory that holds the compiled designs: {@code <cache>/verilator}. */
    public static Path cacheDirectory() {
        return ModelBuilder.cacheRoot();
    }
}
