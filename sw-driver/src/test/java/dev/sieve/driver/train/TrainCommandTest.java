package dev.sieve.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.driver.data.IdxTest;
import dev.sieve.sim.cli.Simulate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate train} on a tiny synthetic IDX data set: output, resume, bad input. */
class TrainCommandTest {
    @TempDir
    Path dir;
    Path data;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void data() throws IOException {
        data = dir.resolve("data");
        Files.createDirectories(data);
        IdxTest.writeSet(data, "train", 80, 1);
        IdxTest.writeSet(data, "t10k", 30, 2);
    }

    static synchronized Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Simulate.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private String[] args(String nm, int epochs, Path out, String... extra) {
        return argsFor("cnn", nm, epochs, out, extra);
    }

    private String[] argsFor(String model, String nm, int epochs, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--model", model, "--nm", nm, "--epochs", "" + epochs, "--batch",
                "16", "--seed", "7", "--data", data.toString(), "--out", out.toString(), "--threads", "2"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void printsOneLinePerEpochTheSummaryLineACsvLogAndACheckpointPerEpoch() throws IOException {
        Path out = dir.resolve("run");
        Run r = run(args("2:8", 2, out));
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[1].contains("conv1: dense (input channels 1 not a multiple of M=8)"), lines[1]);
        assertTrue(lines[1].contains("fc2: dense (output channels 10 not a multiple of M=8)"), lines[1]);
        assertTrue(lines[2].startsWith("epoch 1/2 loss="), lines[2]);
        assertTrue(lines[3].contains("modelled_speedup_vs_dense="), lines[3]);
        assertTrue(lines[lines.length - 1].matches(
                "train: model=cnn nm=2:8 epochs=2 test_acc=[0-9.]+ modelled_speedup_vs_dense=[0-9.]+ wall_s=[0-9.]+"
                        + " steps_per_s=[0-9.]+"),
                lines[lines.length - 1]);
        // not a terminal here: the progress display is plain lines on stderr, the last one at 100%
        assertTrue(r.err().lines().anyMatch(l -> l.matches("epoch 2/2 100% \\[#+\\] \\d+/\\d+ steps .* loss [0-9.]+")),
                "progress on stderr: " + r.err());
        assertFalse(r.out().contains("steps/s"), "never on stdout");
        List<String> csv = Files.readAllLines(out.resolve("train-log.csv"));
        assertEquals(3, csv.size());
        assertTrue(Files.exists(out.resolve("checkpoint-e0001.bin")) && Files.exists(out.resolve("checkpoint-e0002.bin")));
    }

    @Test
    void aResumedRunEndsBitIdenticalToAnUninterruptedOne() throws IOException {
        Path whole = dir.resolve("whole");
        Path parts = dir.resolve("parts");
        assertEquals(0, run(args("2:4", 3, whole, "--no-progress")).code());
        assertEquals(0, run(args("2:4", 3, parts, "--no-progress", "--stop-after", "1")).code());
        Run resumed = run(args("2:4", 3, parts, "--no-progress", "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resumed from"), resumed.out());
        // the log of the resumed run is the whole run's log, row for row, but for its wall and CPU times
        List<String> logWhole = Files.readAllLines(whole.resolve("train-log.csv"));
        List<String> logParts = Files.readAllLines(parts.resolve("train-log.csv"));
        assertEquals(String.join(",", Trainer.LOG_COLUMNS), logParts.get(0));
        assertEquals(4, logParts.size(), "header + 3 epochs, none twice");
        for (int i = 0; i < logWhole.size(); i++) {
            assertEquals(logWhole.get(i).replaceAll(",[^,]*,[^,]*$", ""), logParts.get(i).replaceAll(",[^,]*,[^,]*$", ""));
        }
        Checkpoint a = Checkpoint.read(whole.resolve("checkpoint-e0003.bin"));
        Checkpoint b = Checkpoint.read(parts.resolve("checkpoint-e0003.bin"));
        assertEquals(a.params().size(), b.params().size());
        for (int i = 0; i < a.params().size(); i++) {
            assertArrayEquals(bits(a.params().get(i).value()), bits(b.params().get(i).value()), a.params().get(i).name());
            assertArrayEquals(bits(a.params().get(i).momentum()), bits(b.params().get(i).momentum()));
        }
    }

    @Test
    void aCorruptCheckpointIsRefusedWithExitCode2() throws IOException {
        Path out = dir.resolve("c");
        assertEquals(0, run(argsFor("mlp", "dense", 2, out, "--no-progress", "--stop-after", "1")).code());
        Path ck = out.resolve("checkpoint-e0001.bin");
        byte[] b = Files.readAllBytes(ck);
        b[40] ^= 0x10;
        Files.write(ck, b);
        Run r = run(argsFor("mlp", "dense", 2, out, "--no-progress", "--resume"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("corrupt") && r.err().strip().split("\n").length == 1, r.err());
        assertTrue(!r.out().contains("epoch 2/2"), "nothing trained from a corrupt checkpoint");
    }

    @Test
    void badInputGivesOneLineAndExitCode2() throws IOException {
        Path out = dir.resolve("bad");
        expectUsage(run(argsFor("resnet", "2:8", 1, out)), "--model 'resnet' is not known");
        expectUsage(run(args("3:5", 1, out)), "--nm");
        expectUsage(run(args("2:16", 1, out)), "not supported");
        expectUsage(run(args("2:8", 1, out, "--scheme", "sparse")), "--scheme 'sparse' is not allowed; allowed: bdwp, srste");
        expectUsage(run(args("2:8", 1, out, "--srste-lambda", "1e-3", "--srste-pull", "0.5")),
                "--srste-lambda and --srste-pull both given");
        expectUsage(run("train", "--batch", "0", "--data", data.toString(), "--out", out.toString()),
                "--batch = 0 is out of range");
        expectUsage(run("train", "--data", dir.resolve("nowhere").toString(), "--out", out.toString()),
                "apt-get install dataset-fashion-mnist");
        expectUsage(run(args("2:8", 1, out, "--device", "gpu")), "--device 'gpu' is not allowed; allowed: sat, rtl, cpu");
        expectUsage(run(args("2:8", 1, out, "--format", "int8")), "--format int8: training computes BF16");
        expectUsage(run(args("2:8", 1, out, "--device", "cpu", "--array", "8x8")), "--array applies to --device sat and rtl");
        expectUsage(run(args("2:8", 1, out, "--device", "rtl", "--array", "8by8")), "--array '8by8' is malformed");
        // beyond what the generators build (rows 1 .. 64), for rtl and for sat on an accelerator's record alike
        expectUsage(run(args("2:8", 1, out, "--device", "rtl", "--array", "128x128")), "the accelerator cannot be built");
        expectUsage(run(args("2:8", 1, out, "--device", "sat", "--array", "128x128")), "the accelerator cannot be built");
        // conv1's weight gradient reduces over the batch's pixels: 64 x 784 positions are 1568 reduction tiles of 32
        // on the 8x8 array, 1568 x 8 weight words for one column tile; the 512 KiB weight buffer holds 6898 (608-bit words)
        expectUsage(run("train", "--model", "cnn", "--device", "rtl", "--batch", "64", "--data", data.toString(), "--out",
                out.toString()), "the reduction is not split");
        assertFalse(Files.exists(out), "nothing written for bad options");
        Files.write(data.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0});
        expectUsage(run(args("2:8", 1, out)), "t10k-labels-idx1-ubyte.gz");
    }

    /**
     * The SR-STE lambda rule: lambda = P / sum of the run's learning rates. The cosine schedule's mean is
     * half the peak, so 10 epochs of 938 steps at lr 0.05 sum to about 9380 * 0.025 = 234.5, and the
     * README's lambda = 2e-3 for those runs is a pull of 0.47.
     */
    @Test
    void theSrstePullRuleGivesLambdaTimesTheLearningRateSum() {
        double sum = TrainCommand.learningRateSum(60_000, 64, 10, 0.05f, 0);
        assertEquals(234.5, sum, 0.1);
        float lambda = TrainCommand.lambdaForPull(0.47f, 60_000, 64, 10, 0.05f, 0);
        assertEquals(2e-3, lambda, 1e-5);
        // one epoch: the cosine alone sums to about 938 * 0.025 = 23.47; widecnn's 100-step ramp takes away
        // sum_{t<100} r_t * (1 - (t+1)/100), about 0.05 * 49.5 * 0.99 = 2.46 (r_t is 0.05 to 0.047 there)
        assertEquals(23.47, TrainCommand.learningRateSum(60_000, 64, 1, 0.05f, 0), 0.02);
        assertEquals(21.01, TrainCommand.learningRateSum(60_000, 64, 1, 0.05f, 100), 0.02);
        assertEquals(0.5, TrainCommand.lambdaForPull(0.5f, 60_000, 64, 1, 0.05f, 100) * TrainCommand.learningRateSum(60_000, 64, 1,
                0.05f, 100), 1e-6);
    }

    private static void expectUsage(Run r, String fragment) {
        assertEquals(2, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertEquals(1, err.split("\n").length, err);
        assertTrue(err.startsWith("train: ") && err.contains(fragment), err);
    }

    private static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }
}
