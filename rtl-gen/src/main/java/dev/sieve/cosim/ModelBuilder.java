package dev.sieve.cosim;

import dev.sieve.tools.ExternalTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds Verilog into {@code <cache>/verilator/<hash>/model.so}: Verilator {@code --cc} (without
 * {@code --trace} unless the options ask for it, {@link BuildOptions#withTrace()}), the generated
 * wrapper, the Verilator-generated Makefile ({@link #MAKE_VARS}) and a final {@code g++ -shared} link.
 * The Verilator runtime objects (verilated.o and friends) do not depend on the design, so they are
 * built once per Verilator version and flag set into {@code <cache>/verilator/runtime-<key>/}.
 */
final class ModelBuilder {
    /** Bump when the generated C++ or the cache layout changes meaning. */
    static final String FORMAT = "sieve-cosim-build-1";

    static final List<String> VERILATOR_FLAGS = List.of("--cc", "--no-timing", "-Wno-fatal",
            "--x-assign", "0", "--x-initial", "0", "--prefix", "Vmodel", "-CFLAGS", "-fPIC -fvisibility=hidden");
    /**
     * Optimization of the generated C++: the per-cycle code ({@code OPT_FAST}) and the Verilator
     * runtime ({@code OPT_GLOBAL}) at -O2; the code Verilator files as slow (constructor, variable
     * reset, initial and settle logic: run once per instance, never per cycle; about a quarter of a
     * SAT accelerator's C++) at -O0, which compiles it about 3× faster. See README.
     */
    static final List<String> MAKE_VARS = List.of("OPT_FAST=-O2", "OPT_SLOW=-O0", "OPT_GLOBAL=-O2");
    static final List<String> LINK_FLAGS = List.of("-shared", "-Wl,-Bsymbolic", "-Wl,--exclude-libs,ALL",
            "-Wl,-z,defs", "-pthread", "-latomic");
    static final List<String> TEMPLATES = List.of("model_wrapper.cpp", "sieve_ports.h", "bench_main.cpp");
    /** Appended to the wrapper of designs built with a native AXI4 memory ({@link BuildOptions#hasAxiMemory}). */
    static final String AXI_TEMPLATE = "axi_memory.cpp";

    static final String LIBRARY = "model.so";
    static final String PROPERTIES = "design.properties";
    static final String RUNTIME_ARCHIVE = "libverilated.a";

    /** System property giving the time limit of each build step (Verilator, make, link), in seconds. */
    static final String TIMEOUT_PROPERTY = "sieve.verilator.timeout";
    /** Environment variable read when {@link #TIMEOUT_PROPERTY} is not set. */
    static final String TIMEOUT_ENV = "SIEVE_VERILATOR_TIMEOUT";
    /** Default limit of a build step for a small design, in seconds. */
    static final long BASE_TIMEOUT_S = 1800;
    /** Added to the default limit per started MiB of Verilog (large arrays take long to translate). */
    static final long TIMEOUT_S_PER_MIB = 1800;
    /**
     * Added to the default limit of the C++ build and link per started MiB of the C++ Verilator
     * generated: the 16×16 BF16 accelerator is 0.9 MB of Verilog but 74.0 MB of C++ (89.7 MB with
     * {@code --trace}, whose {@code make -j2} ran past 3,600 s at a load average of 33 on 2 cores,
     * about 40 % done); untraced, its whole build took 54 min at load 17–27.
     */
    static final long TIMEOUT_S_PER_CXX_MIB = 180;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final ConcurrentHashMap<String, Object> JVM_LOCKS = new ConcurrentHashMap<>();
    private static volatile String verilatorVersion;

    private ModelBuilder() {}

    static Path cacheRoot() {
        return dev.sieve.tools.SieveCache.root().resolve("verilator");
    }

    static CompiledDesign compile(List<Path> files, String top, Map<String, ?> parameters) {
        return compile(files, top, parameters, BuildOptions.DEFAULT);
    }

    static CompiledDesign compile(List<Path> files, String top, Map<String, ?> parameters, BuildOptions options) {
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("no Verilog files given for top module '" + top + "'");
        }
        if (top == null || !IDENTIFIER.matcher(top).matches()) {
            throw new IllegalArgumentException("top module name must be a Verilog identifier, got '" + top + "'");
        }
        List<Path> sources = new ArrayList<>();
        for (Path f : files) {
            Path abs = f.toAbsolutePath().normalize();
            if (!Files.isRegularFile(abs)) {
                throw new IllegalArgumentException("Verilog file not found: " + abs);
            }
            sources.add(abs);
        }
        List<String> paramFlags = new ArrayList<>();
        new TreeMap<String, Object>(parameters).forEach((name, value) -> {
            if (!IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("parameter name must be a Verilog identifier, got '" + name + "'");
            }
            paramFlags.add("-G" + name + "=" + value);
        });

        stepTimeoutSeconds(0); // a bad limit setting is refused even when the design is cached
        ExternalTool verilator = ExternalTool.verilator();
        String version = version(verilator);
        String hash = designHash(sources, top, paramFlags, version, options);
        String hash12 = hash.substring(0, 12);
        Path root = cacheRoot();
        Path dir = root.resolve(hash);
        CompiledDesign.Rebuild rebuild = new CompiledDesign.Rebuild(sources, parameters, options);
        if (Files.isRegularFile(dir.resolve(LIBRARY))) {
            log("cosim: reusing compiled " + top + " (" + hash12 + ")");
            return new CompiledDesign(top, hash, dir, true, rebuild);
        }
        try {
            Files.createDirectories(root.resolve(".locks"));
            synchronized (JVM_LOCKS.computeIfAbsent(hash, k -> new Object())) {
                try (FileChannel channel = FileChannel.open(root.resolve(".locks").resolve(hash + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    FileLock lock = channel.lock(); // waits while another process builds this design
                    try {
                        if (Files.isRegularFile(dir.resolve(LIBRARY))) {
                            log("cosim: reusing compiled " + top + " (" + hash12 + ")");
                            return new CompiledDesign(top, hash, dir, true, rebuild);
                        }
                        log("cosim: compiling " + top + " (" + hash12 + ") ...");
                        build(verilator, version, sources, top, paramFlags, options, hash, root, dir);
                        return new CompiledDesign(top, hash, dir, false, rebuild);
                    } finally {
                        lock.release();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cosim cache " + root + ": " + e.getMessage(), e);
        }
    }

    private static void build(ExternalTool verilator, String version, List<Path> sources, String top,
            List<String> paramFlags, BuildOptions options, String hash, Path root, Path dir) throws IOException {
        Path tmp = Files.createTempDirectory(root, ".build-" + hash.substring(0, 12) + "-");
        try {
            Path obj = tmp.resolve("obj");
            List<String> args = new ArrayList<>(VERILATOR_FLAGS);
            args.addAll(options.verilatorFlags());
            args.addAll(List.of("--top-module", top, "-Mdir", obj.toString()));
            args.addAll(paramFlags);
            sources.forEach(s -> args.add(s.toString()));
            long limit = stepTimeoutSeconds(sourceBytes(sources));
            ExternalTool.Result verilated = runStep(verilator, tmp, limit, args, "verilator (translating '" + top + "')");
            if (!verilated.ok()) {
                throw new VerilatorException("verilator rejected top module '" + top + "' in " + sources
                        + " (exit " + verilated.exitCode() + "):", verilated.output());
            }
            Files.writeString(tmp.resolve("verilator.log"), verilated.output());

            List<Port> ports = NativeSources.parseHeaderPorts(Files.readString(obj.resolve("Vmodel.h")));
            Files.writeString(obj.resolve("sieve_ports.h"), template("sieve_ports.h"));
            String wrapper = NativeSources.wrapper(template("model_wrapper.cpp"), ports);
            if (options.hasAxiMemory()) {
                wrapper += NativeSources.axiMemory(template(AXI_TEMPLATE), ports, options.axiPrefix(), options.doneOutput());
            }
            Files.writeString(obj.resolve("sieve_wrap.cpp"), wrapper);

            List<String> runtimeObjects = runtimeObjects(Files.readString(obj.resolve("Vmodel_classes.mk")));
            Path runtime = root.resolve("runtime-" + runtimeKey(version, runtimeObjects));
            boolean needRuntime = !Files.isRegularFile(runtime.resolve(RUNTIME_ARCHIVE));
            List<String> targets = new ArrayList<>(List.of("Vmodel__ALL.a", "sieve_wrap.o"));
            if (needRuntime) {
                targets.addAll(runtimeObjects);
            }
            long cxxLimit = Math.max(limit, stepTimeoutSeconds(0, cxxBytes(obj)));
            make(obj, targets, cxxLimit);
            if (needRuntime) {
                publishRuntime(root, runtime, obj, runtimeObjects);
            }

            List<String> link = new ArrayList<>(List.of("-o", tmp.resolve(LIBRARY).toString(),
                    obj.resolve("sieve_wrap.o").toString(), obj.resolve("Vmodel__ALL.a").toString(),
                    runtime.resolve(RUNTIME_ARCHIVE).toString()));
            link.addAll(LINK_FLAGS);
            ExternalTool.Result linked = runStep(cxx(), obj, cxxLimit, link, "g++ (linking '" + top + "')");
            if (!linked.ok()) {
                throw new VerilatorException("linking the Verilated model of '" + top + "' failed:", linked.output());
            }

            Properties props = new Properties();
            props.setProperty("top", top);
            props.setProperty("hash", hash);
            props.setProperty("verilator", version);
            props.setProperty("runtime", runtime.getFileName().toString());
            props.setProperty("sources", sources.toString());
            props.setProperty("parameters", String.join(" ", paramFlags));
            try (var out = Files.newBufferedWriter(tmp.resolve(PROPERTIES))) {
                props.store(out, "Sieve co-simulation build (" + FORMAT + ")");
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                deleteTree(tmp); // another process finished the same build first: its copy is identical
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /**
     * The time limit of one build step: {@value #TIMEOUT_PROPERTY} (system property) or
     * {@value #TIMEOUT_ENV} (environment) when set, else {@link #BASE_TIMEOUT_S} plus
     * {@link #TIMEOUT_S_PER_MIB} per started MiB of Verilog (the C++ build and the link add
     * {@link #TIMEOUT_S_PER_CXX_MIB} per started MiB of generated C++).
     */
    static long stepTimeoutSeconds(long sourceBytes) {
        return stepTimeoutSeconds(sourceBytes, 0);
    }

    /** The same, for a step that also compiles {@code cxxBytes} of generated C++, from this JVM's settings. */
    static long stepTimeoutSeconds(long sourceBytes, long cxxBytes) {
        return stepTimeoutSeconds(System.getProperty(TIMEOUT_PROPERTY), System.getenv(TIMEOUT_ENV), sourceBytes, cxxBytes);
    }

    static long stepTimeoutSeconds(String property, String env, long sourceBytes) {
        return stepTimeoutSeconds(property, env, sourceBytes, 0);
    }

    /**
     * The limit of a step that also compiles {@code cxxBytes} of generated C++: the setting when
     * given, else the default plus {@link #TIMEOUT_S_PER_CXX_MIB} per started MiB of C++.
     */
    static long stepTimeoutSeconds(String property, String env, long sourceBytes, long cxxBytes) {
        String given = property != null && !property.isBlank() ? property : env;
        String name = property != null && !property.isBlank() ? "-D" + TIMEOUT_PROPERTY : TIMEOUT_ENV;
        if (given == null || given.isBlank()) {
            return BASE_TIMEOUT_S + TIMEOUT_S_PER_MIB * startedMib(sourceBytes)
                    + TIMEOUT_S_PER_CXX_MIB * startedMib(cxxBytes);
        }
        long seconds;
        try {
            seconds = Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1) {
            throw new ExternalTool.BadSettingException(name + "='" + given + "' is not a time limit; allowed: a whole number"
                    + " of seconds >= 1");
        }
        return seconds;
    }

    private static long startedMib(long bytes) {
        return (Math.max(0, bytes) + (1 << 20) - 1) >> 20;
    }

    /** Bytes of the C++ Verilator wrote into {@code obj}. */
    private static long cxxBytes(Path obj) throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(obj)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".cpp") || name.endsWith(".h")) {
                    total += Files.size(f);
                }
            }
        }
        return total;
    }

    private static long sourceBytes(List<Path> sources) throws IOException {
        long total = 0;
        for (Path s : sources) {
            total += Files.size(s);
        }
        return total;
    }

    /**
     * Runs one build step; when it exceeds {@code limit} the exception names the limit and how to
     * raise it.
     */
    static ExternalTool.Result runStep(ExternalTool tool, Path dir, long limit, List<String> args, String what) {
        try {
            return tool.run(dir, limit, args);
        } catch (ExternalTool.ToolTimeoutException e) {
            throw new ExternalTool.ToolTimeoutException(timeoutMessage(what, limit), limit);
        }
    }

    static String timeoutMessage(String what, long limit) {
        return what + " did not finish within the build-step limit of " + limit + " s; raise it with -D"
                + TIMEOUT_PROPERTY + "=SECONDS (java) or " + TIMEOUT_ENV + "=SECONDS (environment)";
    }

    /** Runs the Verilator-generated Makefile in {@code obj} for {@code targets}. */
    static void make(Path obj, List<String> targets) {
        make(obj, targets, stepTimeoutSeconds(0));
    }

    static void make(Path obj, List<String> targets, long limit) {
        ExternalTool make = ExternalTool.require("make", "apt-get install make");
        int jobs = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        List<String> args = new ArrayList<>(List.of("-f", "Vmodel.mk", "-j" + jobs));
        args.addAll(MAKE_VARS);
        args.addAll(targets);
        ExternalTool.Result r = runStep(make, obj, limit, args, "make (C++ build in " + obj + ")");
        if (!r.ok()) {
            throw new VerilatorException("C++ build of the Verilated model in " + obj + " failed:", r.output());
        }
    }

    static ExternalTool cxx() {
        return ExternalTool.require("g++", "apt-get install g++");
    }

    private static void publishRuntime(Path root, Path runtime, Path obj, List<String> objects) throws IOException {
        Path tmp = Files.createTempDirectory(root, ".runtime-");
        try {
            List<String> args = new ArrayList<>(List.of("rcs", tmp.resolve(RUNTIME_ARCHIVE).toString()));
            objects.forEach(o -> args.add(obj.resolve(o).toString()));
            ExternalTool.Result r = ExternalTool.require("ar", "apt-get install binutils").run(obj, 300, args);
            if (!r.ok()) {
                throw new VerilatorException("archiving the Verilator runtime failed:", r.output());
            }
            try {
                Files.move(tmp, runtime, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                deleteTree(tmp);
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /** The runtime object files ({@code verilated.o}, ...) a generated {@code Vmodel_classes.mk} asks for. */
    static List<String> runtimeObjects(String classesMk) {
        List<String> objects = new ArrayList<>();
        boolean inList = false;
        for (String line : classesMk.split("\n")) {
            String t = line.strip();
            if (t.startsWith("VM_GLOBAL_FAST") || t.startsWith("VM_GLOBAL_SLOW")) {
                inList = t.endsWith("\\");
                continue;
            }
            if (inList) {
                String name = t.endsWith("\\") ? t.substring(0, t.length() - 1).strip() : t;
                if (!name.isEmpty()) {
                    objects.add(name + ".o");
                }
                inList = t.endsWith("\\");
            }
        }
        return objects;
    }

    private static String runtimeKey(String version, List<String> objects) {
        MessageDigest sha = sha256();
        feed(sha, FORMAT);
        feed(sha, version);
        VERILATOR_FLAGS.forEach(f -> feed(sha, f));
        MAKE_VARS.forEach(f -> feed(sha, f));
        objects.forEach(o -> feed(sha, o));
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    static String designHash(List<Path> sources, String top, List<String> paramFlags, String version) {
        return designHash(sources, top, paramFlags, version, BuildOptions.DEFAULT);
    }

    static String designHash(List<Path> sources, String top, List<String> paramFlags, String version,
            BuildOptions options) {
        MessageDigest sha = sha256();
        feed(sha, FORMAT);
        feed(sha, version);
        VERILATOR_FLAGS.forEach(f -> feed(sha, f));
        MAKE_VARS.forEach(f -> feed(sha, f));
        LINK_FLAGS.forEach(f -> feed(sha, f));
        feed(sha, top);
        paramFlags.forEach(f -> feed(sha, f));
        for (Path s : sources) {
            feed(sha, s.getFileName().toString());
            try {
                feed(sha, Files.readAllBytes(s));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Verilog file " + s, e);
            }
        }
        for (String t : TEMPLATES) {
            feed(sha, t);
            feed(sha, template(t).getBytes(StandardCharsets.UTF_8));
        }
        if (!options.isDefault()) { // the default build keeps the hash it always had
            options.hashWords().forEach(w -> feed(sha, w));
            feed(sha, template(AXI_TEMPLATE).getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String template(String name) {
        try (InputStream in = ModelBuilder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/sieve/cosim/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String version(ExternalTool verilator) {
        String v = verilatorVersion;
        if (v == null) {
            v = verilator.version();
            verilatorVersion = v;
        }
        return v;
    }

    static void log(String line) {
        System.err.println(line);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary directory is harmless
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void feed(MessageDigest sha, String s) {
        feed(sha, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void feed(MessageDigest sha, byte[] bytes) {
        long n = bytes.length;
        for (int i = 0; i < 8; i++) {
            sha.update((byte) (n >>> (8 * i)));
        }
        sha.update(bytes);
    }
}
