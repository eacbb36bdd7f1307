package dev.sieve.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * Fuzzes every reader of the {@code simulate} commands through the real entry point
 * ({@link Simulate#run}, in this JVM): seeded mutations of a valid file (truncation, byte flips, a
 * byte-order mark, CRLF, huge and negative numbers, duplicated, deleted and swapped lines, a deleted
 * column, invalid UTF-8, an empty file) and of valid option lists. Every run must end with exit
 * code 0 and complete output (the same result as the original file when the mutation keeps its
 * meaning) or with exit code 2, exactly one line on stderr and no output folder; never a stack
 * trace, never longer than {@link #LIMIT}. The tries are tuned so that the whole class runs in
 * well under a minute on two cores.
 */
class InputFuzzTest {

    /** Longest any single fuzzed run may take (a loaded CI machine; typical runs take milliseconds). */
    static final Duration LIMIT = Duration.ofSeconds(20);

    static final String TOPOLOGY = """
            Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
            conv1, 10, 10, 3, 3, 4, 8, 1,
            conv2, 8, 8, 3, 3, 8, 16, 2,
            """;

    static final String INI = """
            [general]
            run_name = fuzz

            [architecture_presets]
            ArrayHeight : 8
            ArrayWidth : 8
            IfmapSramSzkB : 64
            FilterSramSzkB : 64
            OfmapSramSzkB : 64
            IfmapOffset : 0
            FilterOffset : 10000000
            OfmapOffset : 20000000
            Bandwidth : 10
            Dataflow : ws

            [run_presets]
            InterfaceBandwidth : CALC
            """;

    static final String SPEC = """
            # a two-point sweep
            name: fuzz
            accelerator: sat
            workloads: [topo.csv]
            parameters:
              array: [8x8, 16x16]
              nm: ['2:4']
            constraints:
              - array_n * array_m <= 256 && array_n / nm_n >= 2
            """;

    static final String TRACE = """
            iteration_id,layer_id,head_id,embedding_length_D,sentence_length_L,key_fetch_num,quant_key_bit,quant_query_bit,auto_requant_thres,if_requant,auto_requant_incre,value_fetch_num,quant_value_bit,if_accumulate_importance
            0,0,0,64.0,40,40,6,16,0.1,True,4,16,6,True
            0,0,1,64.0,40,40,6,16,0.1,False,4,16,6,True
            0,1,0,64.0,40,24,6,16,0.1,True,4,8,6,True
            0,1,1,64.0,40,24,6,16,0.1,False,4,8,6,True
            1,0,0,64.0,41,41,6,16,0.1,False,4,12,6,True
            """;

    static final String MATRIX = """
            %%MatrixMarket matrix coordinate real general
            % a small test matrix
            6 6 10
            1 1 2.5
            1 4 -1
            2 2 1
            3 1 4
            3 6 0.5
            4 3 1
            5 5 3
            5 2 -2
            6 6 1
            6 1 7
            """;

    private static final Map<String, String> BASELINES = new ConcurrentHashMap<>();

    // ---------------------------------------------------------------- readers

    @Property(tries = 30, seed = "1407", shrinking = ShrinkingMode.OFF)
    void topologyCsv(@ForAll Mutations.Kind kind, @ForAll long seed) {
        fuzzFile("topology", TOPOLOGY, "topo.csv", kind, seed,
                d -> List.of("sat", "--topology", d.resolve("topo.csv").toString(), "--array", "8x8"),
                List.of("sat_layers.csv", "sat_summary.csv", "COMPUTE_REPORT.csv"));
    }

    @Property(tries = 30, seed = "1407", shrinking = ShrinkingMode.OFF)
    void scaleSimIni(@ForAll Mutations.Kind kind, @ForAll long seed) {
        fuzzFile("ini", INI, "scale.cfg", kind, seed, d -> {
            write(d.resolve("topo.csv"), TOPOLOGY.getBytes(StandardCharsets.UTF_8));
            return List.of("sat", "--scalesim-config", d.resolve("scale.cfg").toString(), "--topology",
                    d.resolve("topo.csv").toString());
        }, List.of("sat_layers.csv", "sat_summary.csv", "COMPUTE_REPORT.csv"));
    }

    @Property(tries = 10, seed = "1407", shrinking = ShrinkingMode.OFF)
    void sweepYamlAndConstraints(@ForAll Mutations.Kind kind, @ForAll long seed) {
        fuzzFile("sweep", SPEC, "spec.yaml", kind, seed, d -> {
            write(d.resolve("topo.csv"), TOPOLOGY.getBytes(StandardCharsets.UTF_8));
            return List.of("sweep", d.resolve("spec.yaml").toString(), "--threads", "1");
        }, List.of("points.csv", "pareto.csv"));
    }

    @Property(tries = 30, seed = "1407", shrinking = ShrinkingMode.OFF)
    void spattenTraceCsv(@ForAll Mutations.Kind kind, @ForAll long seed) {
        fuzzFile("trace", TRACE, "trace.csv", kind, seed,
                d -> List.of("spatten", "--trace", d.resolve("trace.csv").toString(), "--functional-tokens", "0"),
                List.of("layers.csv", "steps.csv", "breakdown.csv"));
    }

    @Property(tries = 30, seed = "1407", shrinking = ShrinkingMode.OFF)
    void matrixMarket(@ForAll Mutations.Kind kind, @ForAll long seed) {
        fuzzFile("matrix", MATRIX, "a.mtx", kind, seed,
                d -> List.of("piuma", "--matrix", d.resolve("a.mtx").toString(), "--algo", "smash-v3", "--jobs", "1",
                        "--cores", "2", "--threads", "2"),
                List.of("piuma_smash-v3.csv", "piuma_inner.csv", "piuma_outer.csv"));
    }

    // ---------------------------------------------------------------- options

    private static final String[] VALUES = {"0", "-1", "1", "2", "abc", "", "1e309", "NaN", "-Infinity",
        "99999999999999999999", "2147483648", "3:7", "8x8", "0x0", "2:4", "/", "--out"};

    @Property(tries = 30, seed = "1407", shrinking = ShrinkingMode.OFF)
    void commandLineOptions(@ForAll @IntRange(min = 0, max = 3) int command, @ForAll long seed) throws IOException {
        Random rnd = new Random(seed);
        Path d = Files.createTempDirectory("sieve-fuzz-opt");
        try {
            write(d.resolve("topo.csv"), TOPOLOGY.getBytes(StandardCharsets.UTF_8));
            write(d.resolve("trace.csv"), TRACE.getBytes(StandardCharsets.UTF_8));
            write(d.resolve("a.mtx"), MATRIX.getBytes(StandardCharsets.UTF_8));
            List<String> args = new ArrayList<>(switch (command) {
                case 0 -> List.of("sat", "--topology", d.resolve("topo.csv").toString(), "--array", "8x8", "--nm", "2:4",
                        "--batch", "2", "--multipliers", "4", "--buffer-kib", "64", "--pass", "train", "--format", "int8");
                case 1 -> List.of("spatten", "--trace", d.resolve("trace.csv").toString(), "--functional-tokens", "8",
                        "--topk-engines", "1", "--token-prune", "0.5");
                case 2 -> List.of("piuma", "--rmat", "6,4", "--algo", "smash-v3", "--cores", "2", "--threads", "2",
                        "--jobs", "1", "--max-ops", "1e6");
                default -> List.of("rtl", "fifo", "--param", "width=8", "--param", "depth=16", "--no-synth");
            });
            int edits = 1 + rnd.nextInt(2);
            for (int e = 0; e < edits; e++) {
                int i = 1 + rnd.nextInt(args.size() - 1);
                switch (rnd.nextInt(4)) {
                    case 0 -> args.set(i, VALUES[rnd.nextInt(VALUES.length)]);
                    case 1 -> args.remove(i);
                    case 2 -> args.add(i, args.get(i));
                    default -> args.add(i, "--" + VALUES[rnd.nextInt(VALUES.length)]);
                }
            }
            Path out = d.resolve("out");
            args.addAll(List.of("--out", out.toString()));
            Result r = run(args);
            Statistics.collect("exit " + r.exit());
            checkEnding(r, out, args.toString());
        } finally {
            delete(d);
        }
    }

    @Property(tries = 20, seed = "1407", shrinking = ShrinkingMode.OFF)
    void topLevelWords(@ForAll @IntRange(min = 0, max = 9) int which, @ForAll long seed) {
        String[] commands = {"sat", "sweep", "spatten", "piuma", "rtl", "bench", "demo", "cosim", "area"};
        String word = switch (which) {
            case 0 -> "frobnicate";
            case 1 -> "SAT";
            case 2 -> "--nope";
            default -> commands[(int) Math.floorMod(seed, commands.length)];
        };
        List<String> args = which >= 3 ? List.of(word, "--version") : List.of(word);
        Result r = run(args);
        if (which >= 3) {
            assertEquals(0, r.exit(), args + " " + r.err());
            assertEquals(Simulate.VERSION, r.out().strip(), args.toString());
        } else {
            checkEnding(r, null, args.toString());
            assertEquals(2, r.exit(), args.toString());
            assertTrue(r.err().contains("allowed: rtl, demo, sat, sweep, spatten, piuma, area, bench, cosim")
                    || word.startsWith("-"), r.err());
        }
    }

    // ---------------------------------------------------------------- harness

    /** Runs one mutation of {@code valid} (saved as {@code name}) through {@code command} and checks the ending. */
    private void fuzzFile(String reader, String valid, String name, Mutations.Kind kind, long seed,
                          Function<Path, List<String>> command, List<String> reports) {
        String baseline = BASELINES.computeIfAbsent(reader, k -> {
            Path d = tempDir();
            try {
                Result r = runOn(d, name, valid.getBytes(StandardCharsets.UTF_8), command);
                assertEquals(0, r.exit(), "the valid " + reader + " input must run: " + r.err());
                return result(r);
            } finally {
                delete(d);
            }
        });
        Path d = tempDir();
        try {
            byte[] mutated = Mutations.apply(kind, valid.getBytes(StandardCharsets.UTF_8), new Random(seed));
            Path out = d.resolve("out");
            Result r = runOn(d, name, mutated, command);
            String what = reader + " " + kind + " seed " + seed + ":\n" + new String(mutated, StandardCharsets.UTF_8);
            Statistics.collect(kind.neutral ? "neutral" : "breaking", "exit " + r.exit());
            checkEnding(r, out, what);
            if (kind.neutral) {
                assertEquals(0, r.exit(), what + "\n" + r.err());
                assertEquals(baseline, result(r), what);
            }
            if (r.exit() == 0) {
                for (String f : reports) {
                    assertTrue(Files.isRegularFile(out.resolve(f)), what + ": " + f + " missing");
                }
            }
        } finally {
            delete(d);
        }
    }

    /** Saves {@code input} as {@code name} in {@code d} and runs {@code command} on it with {@code --out d/out}. */
    private static Result runOn(Path d, String name, byte[] input, Function<Path, List<String>> command) {
        write(d.resolve(name), input);
        List<String> args = new ArrayList<>(command.apply(d));
        args.addAll(List.of("--out", d.resolve("out").toString()));
        return run(args);
    }

    /** Exit 0, or exit 2 with exactly one line on stderr and nothing written; never a stack trace. */
    static void checkEnding(Result r, Path out, String what) {
        assertTrue(r.exit() == 0 || r.exit() == 2, what + ": exit " + r.exit() + "\n" + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat ") || r.err().contains("Error:"),
                what + ": stack trace\n" + r.err());
        assertTrue(r.seconds() < LIMIT.toSeconds(), what + ": took " + r.seconds() + " s");
        if (r.exit() == 2) {
            assertEquals(1, r.err().lines().count(), what + ": stderr\n" + r.err());
            if (out != null) {
                assertFalse(Files.exists(out), what + ": partial output in " + out);
            }
        } else if (out != null) {
            try (Stream<Path> s = Files.walk(out)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), what + ": temporary files left");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The result of a run: its last stdout line without wall-clock figures. */
    private static String result(Result r) {
        String last = r.out().lines().reduce((a, b) -> b).orElse("");
        return last.replaceAll("(wall_s|points_per_s)=\\S+", "$1=*");
    }

    record Result(int exit, String out, String err, double seconds) {
    }

    /** {@code simulate args} in this JVM with stdout and stderr captured, within {@link #LIMIT}. */
    static synchronized Result run(List<String> args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = assertTimeoutPreemptively(LIMIT, () -> Simulate.run(args.toArray(String[]::new)),
                    () -> "took longer than " + LIMIT + ": " + args);
            return new Result(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8),
                    (System.nanoTime() - t0) / 1e9);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("sieve-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, byte[] bytes) {
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path d) {
        try (Stream<Path> s = Files.walk(d)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
