package dev.sieve.cosim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A design Verilator has compiled into a native model library: its ports, its cache directory and a
 * factory for independent simulator instances. Obtain one from {@link Verilator#compile}.
 */
public final class CompiledDesign {
    private final String top;
    private final String hash;
    private final Path directory;
    private final boolean fromCache;
    private final NativeBinding binding;
    private final FrameLayout inputLayout;
    private final FrameLayout outputLayout;
    private final Rebuild rebuild; // how to build this design again with other options; null: cannot
    private volatile CompiledDesign traced;

    /** What built this design: enough to build it again with tracing. */
    record Rebuild(List<Path> sources, Map<String, ?> parameters, BuildOptions options) {
        Rebuild {
            sources = List.copyOf(sources);
            parameters = Map.copyOf(parameters);
        }
    }

    CompiledDesign(String top, String hash, Path directory, boolean fromCache) {
        this(top, hash, directory, fromCache, null);
    }

    CompiledDesign(String top, String hash, Path directory, boolean fromCache, Rebuild rebuild) {
        this.rebuild = rebuild;
        this.top = top;
        this.hash = hash;
        this.directory = directory;
        this.fromCache = fromCache;
        this.binding = NativeBinding.load(directory.resolve(ModelBuilder.LIBRARY));
        this.inputLayout = new FrameLayout(NativeSources.inputFramePorts(binding.ports));
        this.outputLayout = new FrameLayout(NativeSources.outputFramePorts(binding.ports));
        if (inputLayout.frameWords() != binding.inFrameWords || outputLayout.frameWords() != binding.outFrameWords) {
            throw new IllegalStateException("frame layout of " + directory + " disagrees with this harness; "
                    + "delete the directory to rebuild it");
        }
    }

    public String top() {
        return top;
    }

    /** SHA-256 content hash (hex) naming the cache directory. */
    public String hash() {
        return hash;
    }

    public String shortHash() {
        return hash.substring(0, 12);
    }

    /** {@code <cache>/verilator/<hash>}. */
    public Path directory() {
        return directory;
    }

    /** The native model library, {@code directory()/model.so}. */
    public Path library() {
        return binding.library;
    }

    /** True when this call found the build in the cache and ran no Verilator or C++ compile. */
    public boolean fromCache() {
        return fromCache;
    }

    /** All top-level ports, clock and reset included, in the model's port-table order. */
    public List<Port> ports() {
        return binding.ports;
    }

    public Optional<Port> port(String name) {
        return binding.ports.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** True when the design has a 1-bit input {@code clk}; without one it is driven as combinational logic. */
    public boolean hasClock() {
        return binding.clockPort >= 0;
    }

    /** True when the design has a 1-bit input {@code rst} (synchronous, active high). */
    public boolean hasReset() {
        return binding.resetPort >= 0;
    }

    /** Layout of one cycle of batched inputs: every input except {@code clk}. */
    public FrameLayout inputLayout() {
        return inputLayout;
    }

    /** Layout of one cycle of batched outputs: every output. */
    public FrameLayout outputLayout() {
        return outputLayout;
    }

    /**
     * True when this build was Verilated with {@code --trace}, so its models can write VCD waveforms
     * ({@link VerilatedModel#enableTrace}). Builds are untraced unless asked for with
     * {@link BuildOptions#withTrace()} or {@link #traced()}.
     */
    public boolean hasTrace() {
        return binding.hasTrace;
    }

    /**
     * The same design (sources, parameters, options) built with VCD tracing: this design when it
     * already traces, else a second build, compiled on first use and cached apart under its own
     * content hash. Used to replay a failing run with a waveform.
     *
     * @throws IllegalStateException when this design was not made by {@link Verilator#compile}
     */
    public CompiledDesign traced() {
        if (hasTrace()) {
            return this;
        }
        CompiledDesign t = traced;
        if (t == null) {
            if (rebuild == null) {
                throw new IllegalStateException(top + " (" + shortHash() + ") has no record of its sources to build"
                        + " a traced copy from");
            }
            synchronized (this) {
                t = traced;
                if (t == null) {
                    t = ModelBuilder.compile(rebuild.sources(), top, rebuild.parameters(),
                            rebuild.options().withTrace());
                    traced = t;
                }
            }
        }
        return t;
    }

    /** A fresh simulator instance with its own Verilator context; close it when done. */
    public VerilatedModel newModel() {
        return new VerilatedModel(this, binding);
    }

    NativeBinding binding() {
        return binding;
    }

    /** The directory of the shared Verilator runtime archive this design was linked against. */
    Path runtimeDirectory() {
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(directory.resolve(ModelBuilder.PROPERTIES))) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory.getParent().resolve(props.getProperty("runtime"));
    }

    @Override
    public String toString() {
        return "CompiledDesign[" + top + " " + shortHash() + " " + binding.ports + "]";
    }
}
