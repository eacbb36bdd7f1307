package dev.sieve.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.driver.data.Idx;
import dev.sieve.driver.data.IdxTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the readers of {@code simulate train} through the real command ({@code Simulate.run} with
 * the sw-driver extension): seeded mutations of IDX files, at the gzip level (truncation, byte flips,
 * appended bytes) and inside the inflated data (header counts, huge and zero dimensions, extra
 * data, a small file that inflates to more than it declares), and of checkpoints (truncation, byte
 * flips, appended bytes, an empty file) under {@code --resume}. Every run ends with exit 0 or
 * exit 2 and one stderr line, never a stack trace, and a refused run changes nothing in {@code --out}.
 */
class TrainInputFuzzTest {

    private static Path base;

    /** A tiny data set (80 training and 30 test images) and a one-epoch run with its checkpoint, made once. */
    private static synchronized Path base() throws IOException {
        if (base == null) {
            base = Files.createTempDirectory("sieve-train-fuzz");
            Path data = base.resolve("data");
            Files.createDirectories(data);
            IdxTest.writeSet(data, "train", 80, 1);
            IdxTest.writeSet(data, "t10k", 30, 2);
            TrainCommandTest.Run r = TrainCommandTest.run(args(data, base.resolve("run"), 1));
            assertEquals(0, r.code(), r.err());
        }
        return base;
    }

    private static String[] args(Path data, Path out, int epochs, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--model", "mlp", "--nm", "2:4", "--epochs", "" + epochs,
                "--batch", "16", "--seed", "3", "--data", data.toString(), "--out", out.toString(), "--threads", "1",
                "--no-progress"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Property(tries = 18, seed = "1407", shrinking = ShrinkingMode.OFF)
    void idxFiles(@ForAll @IntRange(min = 0, max = 8) int kind, @ForAll long seed,
                  @ForAll @IntRange(min = 0, max = 3) int which) throws IOException {
        Path root = base();
        Path d = Files.createTempDirectory("sieve-idx");
        try {
            Path data = d.resolve("data");
            copyFiles(root.resolve("data"), data);
            Path target = data.resolve(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz").get(which));
            Random rnd = new Random(seed);
            Files.write(target, mutateIdx(kind, Files.readAllBytes(target), rnd));
            Path out = d.resolve("out");
            TrainCommandTest.Run r = TrainCommandTest.run(args(data, out, 1));
            Statistics.collect("kind " + kind, "exit " + r.code());
            String what = "IDX mutation " + kind + " of " + target.getFileName() + ", seed " + seed;
            checkEnding(r, what);
            if (r.code() == 2) {
                assertFalse(Files.exists(out), what + ": output written");
            }
        } finally {
            delete(d);
        }
    }

    @Property(tries = 10, seed = "1407", shrinking = ShrinkingMode.OFF)
    void checkpoints(@ForAll @IntRange(min = 0, max = 3) int kind, @ForAll long seed) throws IOException {
        Path root = base();
        Path d = Files.createTempDirectory("sieve-ckp");
        try {
            Path out = d.resolve("run");
            copyFiles(root.resolve("run"), out);
            Path ck = out.resolve("checkpoint-e0001.bin");
            byte[] valid = Files.readAllBytes(ck);
            Random rnd = new Random(seed);
            byte[] bad = switch (kind) {
                case 0 -> truncate(valid, rnd);
                case 1 -> flipByte(valid, rnd);
                case 2 -> {
                    byte[] tail = new byte[1 + rnd.nextInt(64)]; // random trailing garbage, not zeros
                    rnd.nextBytes(tail);
                    byte[] b = java.util.Arrays.copyOf(valid, valid.length + tail.length);
                    System.arraycopy(tail, 0, b, valid.length, tail.length);
                    yield b;
                }
                default -> new byte[0];
            };
            Files.write(ck, bad);
            Map<String, String> before = snapshot(out);
            TrainCommandTest.Run r = TrainCommandTest.run(args(root.resolve("data"), out, 2, "--resume"));
            String what = "checkpoint mutation " + kind + ", seed " + seed;
            checkEnding(r, what);
            assertEquals(2, r.code(), what + ": a damaged checkpoint must be refused");
            assertEquals(before, snapshot(out), what + ": --out changed");
        } finally {
            delete(d);
        }
    }

    /** A gzip file of 3 KB that inflates to 32 MB while declaring 80 images: refused after one byte past them. */
    @Test
    void compressedDataIsNotTrustedBeyondTheHeader() throws IOException {
        Path d = Files.createTempDirectory("sieve-bomb");
        try {
            Path data = d.resolve("data");
            Files.createDirectories(data);
            IdxTest.writeSet(data, "train", 80, 1);
            IdxTest.writeSet(data, "t10k", 30, 2);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(Idx.encode(Idx.IMAGES_MAGIC, new int[] {80, 28, 28}, new byte[80 * 28 * 28]));
                byte[] zeros = new byte[1 << 20];
                for (int i = 0; i < 32; i++) {
                    gz.write(zeros);
                }
            }
            Path img = data.resolve("train-images-idx3-ubyte.gz");
            Files.write(img, bytes.toByteArray());
            TrainCommandTest.Run r = TrainCommandTest.run(args(data, d.resolve("out"), 1));
            checkEnding(r, "gzip bomb");
            assertEquals(2, r.code());
            assertEquals("train: " + img + ": size: header says 62720 data bytes, file has more; allowed: nothing after"
                    + " the data", r.err().strip());
        } finally {
            delete(d);
        }
    }

    /** An IDX mutation: 0-2 on the gzip bytes, 3-8 inside the inflated data. */
    static byte[] mutateIdx(int kind, byte[] gz, Random rnd) throws IOException {
        switch (kind) {
            case 0 -> {
                return truncate(gz, rnd);
            }
            case 1 -> {
                return flipByte(gz, rnd);
            }
            case 2 -> {
                byte[] b = java.util.Arrays.copyOf(gz, gz.length + 1 + rnd.nextInt(16));
                b[gz.length] = (byte) rnd.nextInt(256);
                return b;
            }
            default -> {
                byte[] raw;
                try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
                    raw = in.readAllBytes();
                }
                int nd = raw[3];
                switch (kind) {
                    case 3 -> putInt(raw, 4 + 4 * rnd.nextInt(nd), Integer.MAX_VALUE);   // huge dimension
                    case 4 -> putInt(raw, 4 + 4 * rnd.nextInt(nd), 0);                   // zero dimension
                    case 5 -> putInt(raw, 4 + 4 * rnd.nextInt(nd), -1 - rnd.nextInt(1000));
                    case 6 -> raw = java.util.Arrays.copyOf(raw, raw.length + 1 + rnd.nextInt(100));   // extra data
                    case 7 -> raw = java.util.Arrays.copyOf(raw, 4 + 4 * nd + rnd.nextInt(raw.length - 4 * nd - 4));
                    default -> putInt(raw, 0, 0x0803 ^ 0x0002);                                        // wrong magic
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
                    out.write(raw);
                }
                return bytes.toByteArray();
            }
        }
    }

    /** {@code bytes} cut at a random length shorter than it. */
    private static byte[] truncate(byte[] bytes, Random rnd) {
        return java.util.Arrays.copyOf(bytes, rnd.nextInt(bytes.length));
    }

    /** {@code bytes} with one random byte changed. */
    private static byte[] flipByte(byte[] bytes, Random rnd) {
        byte[] b = bytes.clone();
        int i = rnd.nextInt(b.length);
        b[i] = (byte) (b[i] ^ (1 + rnd.nextInt(255)));
        return b;
    }

    /** Copies the files of folder {@code from} into a new folder {@code to}. */
    private static void copyFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void checkEnding(TrainCommandTest.Run r, String what) {
        assertTrue(r.code() == 0 || r.code() == 2, what + ": exit " + r.code() + "\n" + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), what + ": stack trace\n" + r.err());
        if (r.code() == 2) {
            assertEquals(1, r.err().lines().count(), what + ":\n" + r.err());
        }
    }

    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    private static void delete(Path d) {
        try (Stream<Path> s = Files.walk(d)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void helpListsTrainAndBenchGemmWithAWholeSummaryAndOutIsCheckedBeforeTheFirstEpoch() throws IOException {
        TrainCommandTest.Run bare = TrainCommandTest.run();
        assertEquals(2, bare.code());
        assertTrue(bare.err().strip().endsWith("train, bench-gemm"), bare.err());
        String summary = bare.out().lines().dropWhile(l -> !l.startsWith("  train")).takeWhile(l -> !l.startsWith("  bench-gemm"))
                .map(String::strip).reduce("", (a, b) -> a + " " + b).strip();
        assertTrue(summary.endsWith("."), "the train summary is cut: " + summary);
        assertEquals(0, TrainCommandTest.run("train", "--version").code());
        assertEquals(0, TrainCommandTest.run("bench-gemm", "--version").code());
        Path taken = Files.createTempFile("sieve-out", ".txt");
        try {
            Path data = base().resolve("data");
            long t0 = System.nanoTime();
            TrainCommandTest.Run r = TrainCommandTest.run(args(data, taken, 1));
            assertEquals(2, r.code());
            assertEquals("train: " + taken + ": --out: is an existing file; allowed: a folder, or a path where one can"
                    + " be created", r.err().strip());
            assertFalse(r.out().contains("epoch"), r.out());
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "refused before any work");
            assertArrayEquals(new byte[0], Files.readAllBytes(taken));
        } finally {
            Files.delete(taken);
        }
    }
}
