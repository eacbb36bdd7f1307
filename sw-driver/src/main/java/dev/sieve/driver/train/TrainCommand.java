package dev.sieve.driver.train;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.sim.sat.SatFamily;
import java.util.ArrayList;
import java.util.List;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.driver.CpuDevice;
import dev.sieve.driver.Device;
import dev.sieve.driver.RtlDevice;
import dev.sieve.driver.SatDevice;
import dev.sieve.driver.data.Dataset;
import dev.sieve.driver.nn.Models;
import dev.sieve.io.InputException;
import dev.sieve.io.OutputDir;
import dev.sieve.io.Progress;
import dev.sieve.io.ReportWriter;
import dev.sieve.sim.cli.Simulate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulate train}: BDWP N:M training on Fashion-MNIST with every GEMM on the SAT model. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"BDWP N:M sparse training on Fashion-MNIST, every GEMM on the SAT model.",
                "Every GEMM of the forward, data-gradient and weight-gradient passes runs on the SAT model"
                        + " (BF16 x BF16 -> FP32), which also counts cycles, or with --device rtl on the generated"
                        + " accelerator under Verilator (GEMMs and N:M pre-generation; same bits as --device sat on the"
                        + " same --array). --out is checked before the data is"
                        + " loaded; a checkpoint is written after every epoch and --resume continues from the newest."},
        footer = {"", "Examples:", "  simulate train --model cnn --nm 2:8 --epochs 3 --batch 64 --seed 1",
                "  simulate train --model cnn --nm 2:8 --epochs 3 --batch 64 --seed 1 --out out/t --resume",
                "  simulate train --model mlp --nm 2:8 --epochs 1 --batch 16 --device rtl --array 8x8 --train-images 480"})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "cnn|mlp|widecnn", description = "Network: cnn and mlp (small, for CI), widecnn (its N:M layers dominate the step) (default: ${DEFAULT-VALUE}).")
    String model = "cnn";

    @Option(names = "--nm", paramLabel = "N:M", description = "dense, 2:4, 2:8, 1:4, 1:8 or 4:8 (default: ${DEFAULT-VALUE}).")
    String nm = "2:8";

    @Option(names = "--epochs", paramLabel = "E", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--batch", paramLabel = "B", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch = 64;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of initialization and sample order (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for train-log.csv and checkpoints (default: out/train-MODEL-NM).")
    Path out;

    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out.")
    boolean resume;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
    Path data = Dataset.DEFAULT_DIR;

    @Option(names = "--lr", description = "Peak learning rate, cosine to 0 (default: ${DEFAULT-VALUE}).")
    float lr = 0.05f;

    @Option(names = "--warmup-steps", paramLabel = "W",
            description = "Linear learning-rate warm-up over the first W steps, the rate times (t+1)/W on top of the cosine"
                    + " (default: 100 for widecnn, 0 for cnn and mlp).")
    Integer warmupSteps;

    @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    float momentum = 0.9f;

    @Option(names = "--weight-decay", description = "Weight decay on weights (default: ${DEFAULT-VALUE}).")
    float weightDecay = 5e-4f;

    @Option(names = "--srste-lambda", description = "SR-STE decay of pruned weights, fixed (default: 2e-4, SR-STE's ImageNet value).")
    Float lambda;

    @Option(names = "--srste-pull", paramLabel = "P",
            description = "Instead of --srste-lambda: lambda = P / (sum of the run's learning rates), so a weight pruned for the"
                    + " whole run decays by exp(-P) whatever the run's length (SR-STE's ImageNet schedule: P = 6.0).")
    Float pull;

    @Option(names = "--scheme", paramLabel = "bdwp|srste",
            description = "bdwp: N:M in the forward and data-gradient passes; srste: N:M in the forward pass only, the data"
                    + " gradient dense on the forward-pruned weights (SR-STE as published) (default: ${DEFAULT-VALUE}).")
    String scheme = "bdwp";

    @Option(names = "--backward-mask", paramLabel = "dense|forward-pruned",
            description = "What the backward (output-channel) mask is computed from (default: ${DEFAULT-VALUE}).")
    String backwardMask = "dense";

    @Option(names = {"--device", "--backend"}, paramLabel = "sat|rtl|cpu",
            description = "sat: the SAT model; rtl: the generated SAT accelerator under Verilator (every GEMM and N:M"
                    + " pre-generation of a step on the hardware, bit-identical to sat on the same --array); cpu: the plain"
                    + " FP32 reference, slow (default: ${DEFAULT-VALUE}).")
    String backend = "sat";

    @Option(names = "--array", paramLabel = "RxC",
            description = "PE rows x columns of the accelerator that --device sat or rtl trains on: L = 4 BF16 multipliers"
                    + " per PE, dense and --nm, 512 KiB buffers, one row segment, a 16-byte memory beat per cycle (the"
                    + " record of 'cosim sat --format bf16'). Default: the default 32x32 SAT array for sat, 8x8 for rtl.")
    String array;

    @Option(names = "--format", paramLabel = "bf16", description = "Number format of the GEMMs; training computes in bf16 (default: ${DEFAULT-VALUE}).")
    String format = "bf16";

    @Option(names = "--threads", description = "Host threads of the GEMM kernel (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--train-images", paramLabel = "N", description = "Use only the first N training images (default: all).")
    int trainImages = Integer.MAX_VALUE;

    @Option(names = "--test-images", paramLabel = "N", description = "Use only the first N test images (default: all).")
    int testImages = Integer.MAX_VALUE;

    @Option(names = "--stop-after", paramLabel = "N", hidden = true, description = "Stop after epoch N (simulates an interruption).")
    int stopAfter = Integer.MAX_VALUE;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Override
    public Integer call() {
        if (!Models.NAMES.contains(model)) {
            throw new Simulate.UsageError("--model '" + model + "' is not known; allowed: " + String.join(", ", Models.NAMES));
        }
        NmPattern pattern;
        try {
            pattern = NmPattern.parse(nm);
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError("--nm: " + e.getMessage());
        }
        if (!backend.equals("sat") && !backend.equals("cpu") && !backend.equals("rtl")) {
            throw new Simulate.UsageError("--device '" + backend + "' is not allowed; allowed: sat, rtl, cpu");
        }
        NumberFormat fmt;
        try {
            fmt = NumberFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError("--format: " + e.getMessage());
        }
        if (fmt != NumberFormat.BF16_FP32) {
            throw new Simulate.UsageError("--format " + format + ": training computes BF16 x BF16 -> FP32 GEMMs; allowed: bf16");
        }
        SatConfig cfg = deviceConfig(pattern);
        if (!cfg.supports(pattern)) {
            throw new Simulate.UsageError("--nm " + pattern + " is not supported by the array; allowed: dense, "
                    + String.join(", ", cfg.patterns().stream().filter(p -> !p.isDense()).map(NmPattern::toString).toList()));
        }
        Simulate.UsageError.requireRange("--epochs", epochs, 1, 10_000);
        Simulate.UsageError.requireRange("--batch", batch, 1, 4096);
        Simulate.UsageError.requireRange("--threads", threads, 1, 256);
        Simulate.UsageError.requireRange("--train-images", trainImages, 1, Integer.MAX_VALUE);
        Simulate.UsageError.requireRange("--test-images", testImages, 1, Integer.MAX_VALUE);
        int warmup = warmupSteps != null ? warmupSteps : Models.defaultWarmupSteps(model);
        Simulate.UsageError.requireRange("--warmup-steps", warmup, 0, 1_000_000);
        if (!(lr > 0 && lr <= 10)) {
            throw new Simulate.UsageError("--lr = " + lr + " is out of range; allowed (0, 10]");
        }
        BackwardMaskSource src = switch (backwardMask) {
            case "dense" -> BackwardMaskSource.DENSE;
            case "forward-pruned" -> BackwardMaskSource.FORWARD_PRUNED;
            default -> throw new Simulate.UsageError("--backward-mask '" + backwardMask + "' is not allowed; allowed: dense, forward-pruned");
        };
        if (!scheme.equals("bdwp") && !scheme.equals("srste")) {
            throw new Simulate.UsageError("--scheme '" + scheme + "' is not allowed; allowed: bdwp, srste");
        }
        if (lambda != null && pull != null) {
            throw new Simulate.UsageError("--srste-lambda and --srste-pull both given; allowed: one of them");
        }
        if (pull != null && !(pull >= 0 && pull <= 100)) {
            throw new Simulate.UsageError("--srste-pull = " + pull + " is out of range; allowed [0, 100]");
        }
        if (backend.equals("rtl")) {
            requireRunnable(cfg, pattern, src);
        }
        Path dir = out != null ? out : Path.of("out", "train-" + model + "-" + pattern.toString().replace(":", "of"));
        OutputDir.prepare(dir, "--out");
        Dataset train = Dataset.load(data, "train").head(trainImages);
        Dataset test = Dataset.load(data, "t10k").head(testImages);
        float lam = lambda != null ? lambda : pull != null ? lambdaForPull(pull, train.n(), batch, epochs, lr, warmup) : 2e-4f;
        String lambdaRule = pull != null ? String.format(Locale.ROOT, "pull %s / sum of lr %.2f", pull,
                learningRateSum(train.n(), batch, epochs, lr, warmup)) : lambda != null ? "fixed" : "fixed (default)";
        Trainer.Options opt;
        try {
            opt = new Trainer.Options(model, pattern, src, epochs, batch, seed, lr, momentum, weightDecay, lam,
                    scheme.equals("srste"), warmup);
            new dev.sieve.driver.nn.Sgd(momentum, weightDecay, lam);
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError(e.getMessage());
        }
        PrintWriter o = spec.commandLine().getOut();
        try (Device device = backend.equals("sat") ? new SatDevice(cfg, threads)
                : backend.equals("rtl") ? new RtlDevice(cfg) : CpuDevice.fp32()) {
            Trainer t = new Trainer(opt, device, train, test);
            if (resume) {
                Path ck = newestCheckpoint(dir);
                t.restore(Checkpoint.read(ck), ck);
                o.printf(Locale.ROOT, "train: resumed from %s after epoch %d%n", ck, t.epochsDone());
            }
            o.printf(Locale.ROOT, "train: model=%s nm=%s scheme=%s backward-mask=%s batch=%d seed=%d train=%d test=%d device=%s "
                            + "threads=%d lr=%s warmup_steps=%d srste_lambda=%.4g (%s) kernel=%s%n",
                    model, pattern, scheme, backwardMask, batch, seed, train.n(), test.n(), device.name(), threads, lr, warmup, lam,
                    lambdaRule, device instanceof SatDevice s ? s.kernelPath().name().toLowerCase(Locale.ROOT)
                            : device instanceof RtlDevice r ? "verilator:" + r.design().top() + "@" + r.design().shortHash()
                            : "cpu");
            o.println("train: layers: " + String.join("; ", t.network().policy()));
            o.flush();
            Trainer.Epoch last = null;
            double wall = 0;
            long steps = 0;
            double stepSeconds = 0;
            RtlDevice.RtlStats rtlSteps = null;
            while (t.epochsDone() < epochs && t.epochsDone() < stopAfter) {
                String task = "epoch " + (t.epochsDone() + 1) + "/" + epochs;
                RtlDevice.RtlStats rtlBefore = device instanceof RtlDevice r ? r.rtlStats() : null;
                try (Progress bar = noProgress ? Progress.none()
                        : Progress.start(System.err, task, t.stepsPerEpoch(), "steps")) {
                    last = t.runEpoch(bar);
                }
                wall += last.wallSeconds();
                o.printf(Locale.ROOT, "epoch %d/%d loss=%.4f train_acc=%.2f%% test_acc=%.2f%% cycles/step fwd=%.0f dgrad=%.0f "
                                + "wgrad=%.0f pregen_exposed=%.0f non_gemm=%.0f step=%.0f (dense %.0f) modelled_speedup_vs_dense=%.3fx "
                                + "(ideal %.2fx) exact_fp_outputs=%d wall=%.1fs cpu=%.1fs load=%s%n",
                        last.epoch(), epochs, last.loss(), last.trainAcc(), last.testAcc(), last.fwdCycles(),
                        last.dgradCycles(), last.wgradCycles(), last.pregenExposedCycles(), last.nonGemmCycles(), last.stepCycles(),
                        last.denseStepCycles(), last.speedup(), pattern.idealTrainingSpeedup(), last.exactOutputs(),
                        last.wallSeconds(), last.cpuSeconds(), loadAverage());
                if (device instanceof RtlDevice r) {
                    rtlSteps = r.rtlStats().minus(rtlBefore);
                    o.println(rtlLine(last, rtlSteps));
                }
                steps += last.steps();
                stepSeconds += last.stepSeconds();
                o.flush();
                // the whole log again (a row per epoch): it then always equals the rows of the checkpoint
                // written next, and a run resumed from an older checkpoint cannot duplicate a row
                ReportWriter.write(dir.resolve("train-log.csv"), Trainer.LOG_COLUMNS, t.log());
                t.checkpoint().write(dir.resolve(String.format(Locale.ROOT, "checkpoint-e%04d.bin", t.epochsDone())));
            }
            if (last == null) {
                o.printf(Locale.ROOT, "train: nothing to do, %d of %d epochs already done%n", t.epochsDone(), epochs);
                return 0;
            }
            if (device instanceof SatDevice || device instanceof RtlDevice) {
                o.println(layerLine(t.layerCycles(batch), pattern));
            }
            o.printf(Locale.ROOT, "train: model=%s nm=%s epochs=%d test_acc=%.2f modelled_speedup_vs_dense=%.3f wall_s=%.1f"
                            + " steps_per_s=%.3f%s%n",
                    model, pattern, t.epochsDone(), last.testAcc(), last.speedup(), wall,
                    stepSeconds > 0 ? steps / stepSeconds : 0,
                    rtlSteps == null ? "" : String.format(Locale.ROOT, " rtl_cycles_per_step=%.0f model_rtl_cycles_per_step=%.0f",
                            (double) rtlSteps.cycles() / last.steps(), (double) rtlSteps.modelCycles() / last.steps()));
            o.flush();
        }
        return 0;
    }

    /**
     * The record the chosen device trains on: with {@code --array}, the generated accelerator's
     * ({@link RtlDevice#config}) for sat and rtl alike, so the two give the same bits; without it the
     * default SAT array for sat (and cpu) and an 8x8 accelerator for rtl.
     */
    SatConfig deviceConfig(NmPattern pattern) {
        if (array == null) {
            return backend.equals("rtl") ? accelerator(8, 8, pattern) : SatDevice.defaultConfig();
        }
        if (backend.equals("cpu")) {
            throw new Simulate.UsageError("--array applies to --device sat and rtl; the cpu reference has no array");
        }
        int[] rc;
        try {
            rc = SatFamily.rowsCols(array);
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError("--array '" + array + "' is malformed; " + e.getMessage());
        }
        return accelerator(rc[0], rc[1], pattern);
    }

    private static SatConfig accelerator(int rows, int cols, NmPattern pattern) {
        try {
            return RtlDevice.config(rows, cols, pattern);
        } catch (IllegalArgumentException e) {
            throw new Simulate.UsageError("--array " + rows + "x" + cols + " --nm " + pattern
                    + ": the accelerator cannot be built: " + e.getMessage());
        }
    }

    /**
     * Every pass of a step (and of the test-set evaluation, 500 images at a time) fits the accelerator
     * of {@code cfg} once cut along outputs and vectors; checked before anything is written or compiled.
     */
    private void requireRunnable(SatConfig cfg, NmPattern pattern, BackwardMaskSource src) {
        dev.sieve.driver.nn.Network net = Models.build(model, CpuDevice.fp32(), pattern, src, seed);
        for (dev.sieve.driver.nn.GemmLayer l : net.gemmLayers()) {
            int i = net.gemmLayers().indexOf(l);
            List<PassGemm> passes = new ArrayList<>(Bdwp.trainingStep(l.desc(), i, batch, l.pattern(), i == 0));
            if (scheme.equals("srste") && i > 0) {
                passes.add(Bdwp.dataGradient(l.desc(), i, batch, NmPattern.DENSE));
            }
            passes.add(Bdwp.forward(l.desc(), i, Math.min(500, testImages), l.pattern()));
            for (PassGemm g : passes) {
                try {
                    RtlDevice.requireRunnable(cfg, g);
                } catch (IllegalArgumentException e) {
                    throw new Simulate.UsageError("--device rtl --array " + cfg.rows() + "x" + cfg.cols() + " --batch "
                            + batch + ": " + e.getMessage());
                }
            }
        }
    }

    /** What the accelerator did in an epoch's training steps, beside the model's prediction for the same commands. */
    static String rtlLine(Trainer.Epoch e, RtlDevice.RtlStats r) {
        return String.format(Locale.ROOT, "train: rtl epoch %d: %d steps in %.1f s (%.3f steps/s), %d accelerator commands;"
                        + " accelerator cycles/step %.0f (gemm %.0f, pregen %.0f), model of the accelerator %.0f (%s);"
                        + " SAT model array cycles/step %.0f; %.0f simulated cycles/s",
                e.epoch(), e.steps(), e.stepSeconds(), e.stepsPerSecond(), r.commands(), (double) r.cycles() / e.steps(),
                (double) r.gemmCycles() / e.steps(), (double) r.pregenCycles() / e.steps(),
                (double) r.modelCycles() / e.steps(), r.cycles() == r.modelCycles() ? "equal" : "differs",
                e.stepCycles(), r.cyclesPerSecond());
    }

    /**
     * Where the step's modelled speedup comes from: each layer's array cycles per step (N:M / dense)
     * and the speedup of the N:M layers alone beside the ideal {@code 3/(2N/M+1)}.
     */
    static String layerLine(java.util.List<Trainer.LayerCycles> layers, NmPattern pattern) {
        StringBuilder sb = new StringBuilder("train: array cycles/step by layer (N:M/dense):");
        long nm = 0;
        long dense = 0;
        for (Trainer.LayerCycles l : layers) {
            sb.append(String.format(Locale.ROOT, " %s %d/%d %.2fx%s;", l.layer(), l.cycles(), l.denseCycles(),
                    l.speedup(), l.pattern().isDense() ? " dense" : ""));
            if (!l.pattern().isDense()) {
                nm += l.cycles();
                dense += l.denseCycles();
            }
        }
        if (nm > 0) {
            sb.append(String.format(Locale.ROOT, " N:M layers together %.2fx (ideal %.2fx)", (double) dense / nm,
                    pattern.idealTrainingSpeedup()));
        } else {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    /** The sum over all steps of the learning rate {@link Trainer} uses (cosine and warm-up). */
    static double learningRateSum(int trainImages, int batch, int epochs, float lr, int warmup) {
        long total = (long) ((trainImages + batch - 1) / batch) * epochs;
        double sum = 0;
        for (long t = 0; t < total; t++) {
            sum += Trainer.scheduledRate(lr, t, total, warmup);
        }
        return sum;
    }

    /**
     * The SR-STE lambda that gives a weight pruned for the whole run the total pull {@code pull}: with
     * {@code w <- w - lr_t * lambda * w} each step, such a weight shrinks by about
     * {@code exp(-lambda * sum_t lr_t)}, so {@code lambda = pull / sum_t lr_t}.
     */
    static float lambdaForPull(float pull, int trainImages, int batch, int epochs, float lr, int warmup) {
        return (float) (pull / learningRateSum(trainImages, batch, epochs, lr, warmup));
    }

    /** The 1-minute load average, for reading wall times on a shared machine. */
    static String loadAverage() {
        double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", l);
    }

    /** The checkpoint of the highest epoch in {@code dir}. */
    static Path newestCheckpoint(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir, 0, null, "--resume: folder not found; pass the --out of the run to resume");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("checkpoint-e\\d{4}\\.bin")).sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new InputException(dir, 0, null, "--resume: no checkpoint-eNNNN.bin in this folder"));
        } catch (IOException e) {
            throw new InputException(dir, 0, null, "cannot list: " + e.getMessage());
        }
    }
}
