package dev.sieve.cosim;

import java.nio.file.Path;
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

    /** Directory that holds the compiled designs: {@code <cache>/verilator}. */
    public static Path cacheDirectory() {
        return ModelBuilder.cacheRoot();
    }
}
