package dev.sieve.cosim;

import dev.sieve.tools.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Co-simulation throughput on one design, three ways: (a) raw, the Verilated model driven by a
 * generated plain C++ loop (no JVM, no wrapper); (b) batched, the Java harness running prefilled
 * input frames through {@link VerilatedModel#runBatch} (stimulus generation not timed); (c)
 * lockstep, {@link Lockstep} against a Java {@link CycleModel}, stimulus generation and comparison
 * included. Each figure is the best of five timed runs (the modes interleaved) after a warm-up.
 *
 * <p>{@code main} benchmarks the reference block {@code mac8} (args: [cycles]); other designs go
 * through {@link #run(List, String, Supplier, long)}.
 */
public final class CosimBench {
    private static final int RUNS = 5;
    private static final int BATCH = 8192;
    private static final Pattern RAW_RATE = Pattern.compile("cycles_per_s=([0-9.eE+]+)");

    private CosimBench() {}

    /** The measured figures, in cycles per second of wall time. */
    public record Figures(String top, long cycles, double rawCyclesPerS, double batchedCyclesPerS,
            double lockstepCyclesPerS) {

        public double batchedVsRaw() {
            return batchedCyclesPerS / rawCyclesPerS;
        }

        /** The one-line summary that ends the benchmark's output. */
        public String summaryLine() {
            return String.format(Locale.ROOT,
                    "cosim: raw_cycles_per_s=%.0f batched_cycles_per_s=%.0f lockstep_cycles_per_s=%.0f batched_vs_raw=%.3f",
                    rawCyclesPerS, batchedCyclesPerS, lockstepCyclesPerS, batchedVsRaw());
        }

        /** A small table of the three figures. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "cosim bench: %s, %,d cycles per run, best of %d rounds%n", top, cycles, RUNS));
            sb.append(String.format(Locale.ROOT, "%-34s %16s %8s%n", "mode", "cycles/s", "vs raw"));
            row(sb, "raw (C++ loop, no JVM)", rawCyclesPerS);
            row(sb, "batched (Java, runBatch via JNA)", batchedCyclesPerS);
            row(sb, "lockstep (RTL vs Java model)", lockstepCyclesPerS);
            return sb.toString();
        }

        private void row(StringBuilder sb, String name, double rate) {
            sb.append(String.format(Locale.ROOT, "%-34s %,16.0f %8.3f%n", name, rate, rate / rawCyclesPerS));
        }
    }

    public static void main(String[] args) {
        long cycles = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
        Figures f = runReference(cycles);
        System.out.print(f.table());
        System.out.println(f.summaryLine());
    }

    /** Benchmarks the reference block {@code mac8} against {@link Mac8Model}. */
    public static Figures runReference(long cycles) {
        return run(List.of(referenceDesign()), "mac8", Mac8Model::new, cycles);
    }

    /**
     * Benchmarks {@code top} from {@code files}; {@code models} makes a fresh Java model per lockstep
     * run, which must agree with the RTL (the run fails otherwise).
     */
    public static Figures run(List<Path> files, String top, Supplier<? extends CycleModel> models, long cycles) {
        if (cycles < 1) {
            throw new IllegalArgumentException("cycles must be >= 1, got " + cycles);
        }
        CompiledDesign design = Verilator.compile(files, top);
        double raw = 0;
        double batched = 0;
        double lockstep = 0;
        Path exe = benchExecutable(design);
        Lockstep.of(design, models.get()).cycles(Math.min(cycles, 200_000)).run(); // JIT warm-up
        // Rounds interleave the three modes so a burst of load from other processes hits all alike.
        for (int i = 0; i < RUNS; i++) {
            raw = Math.max(raw, runRaw(design, exe, cycles));
            batched = Math.max(batched, runBatched(design, cycles));
            LockstepResult r = Lockstep.of(design, models.get()).cycles(cycles).seed(i + 1).run();
            r.mismatch().ifPresent(m -> {
                throw new CosimMismatchException(top, m);
            });
            lockstep = Math.max(lockstep, r.cyclesPerSecond());
        }
        return new Figures(top, cycles, raw, batched, lockstep);
    }

    /** {@code mac8.v}, copied out of the jar into {@code <cache>/verilator/sources/<sha12>/mac8.v}. */
    public static Path referenceDesign() {
        return Verilator.materialize(Map.of("mac8.v", ModelBuilder.template("mac8.v"))).get(0);
    }

    private static double runRaw(CompiledDesign design, Path exe, long cycles) {
        ExternalTool tool = new ExternalTool("cosim-bench", exe, "");
        ExternalTool.Result r = tool.run(design.directory(), 1800, List.of(Long.toString(cycles)));
        if (!r.ok()) {
            throw new IllegalStateException("raw benchmark loop failed:\n" + r.output());
        }
        Matcher m = RAW_RATE.matcher(r.output());
        if (!m.find()) {
            throw new IllegalStateException("raw benchmark loop printed no rate:\n" + r.output());
        }
        return Double.parseDouble(m.group(1));
    }

    private static double runBatched(CompiledDesign design, long cycles) {
        try (VerilatedModel model = design.newModel()) {
            int batch = (int) Math.min(BATCH, cycles);
            CycleBuffer in = model.newInputBuffer(batch);
            CycleBuffer out = model.newOutputBuffer(batch);
            SplittableRandom rnd = new SplittableRandom(42);
            FrameLayout layout = in.layout();
            for (int k = 0; k < batch; k++) {
                for (int s = 0; s < layout.size(); s++) {
                    Port p = layout.ports().get(s);
                    boolean reset = p.name().equals(NativeSources.RESET) && design.hasReset();
                    for (int w = 0; w < p.words(); w++) {
                        int bits = Math.min(64, p.width() - 64 * w);
                        in.setWord(k, s, w, reset ? 0 : rnd.nextLong() & Bits.mask(bits));
                    }
                }
            }
            model.reset(2);
            model.runBatch(in, out, batch); // warm-up
            long start = System.nanoTime();
            long done = 0;
            while (done < cycles) {
                int n = (int) Math.min(batch, cycles - done);
                model.runBatch(in, out, n);
                done += n;
            }
            return done * 1e9 / (System.nanoTime() - start);
        }
    }

    /** Builds (once per design) the plain C++ loop into {@code <design dir>/bench}. */
    static Path benchExecutable(CompiledDesign design) {
        Path exe = design.directory().resolve("bench");
        if (Files.isExecutable(exe)) {
            return exe;
        }
        Path obj = design.directory().resolve("obj");
        String tag = "sieve_bench_" + Long.toHexString(System.nanoTime()) + "_" + ProcessHandle.current().pid();
        try {
            String source = NativeSources.benchMain(ModelBuilder.template("bench_main.cpp"), design.ports());
            Files.writeString(obj.resolve(tag + ".cpp"), source);
            ModelBuilder.make(obj, List.of(tag + ".o"));
            Path tmpExe = design.directory().resolve(tag);
            List<String> link = new ArrayList<>(List.of("-o", tmpExe.toString(), obj.resolve(tag + ".o").toString(),
                    obj.resolve("Vmodel__ALL.a").toString(),
                    design.runtimeDirectory().resolve(ModelBuilder.RUNTIME_ARCHIVE).toString(), "-pthread", "-latomic"));
            ExternalTool.Result r = ModelBuilder.runStep(ModelBuilder.cxx(), obj, ModelBuilder.stepTimeoutSeconds(0), link,
                    "g++ (linking the benchmark loop)");
            if (!r.ok()) {
                throw new VerilatorException("linking the benchmark loop failed:", r.output());
            }
            Files.move(tmpExe, exe, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(obj.resolve(tag + ".cpp"));
            Files.deleteIfExists(obj.resolve(tag + ".o"));
            Files.deleteIfExists(obj.resolve(tag + ".d"));
            return exe;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the benchmark loop in " + obj, e);
        }
    }
}
