package dev.sieve.driver.train;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.Pass;
import dev.sieve.dataflow.workload.Topology;
import dev.sieve.driver.Counters;
import dev.sieve.driver.Device;
import dev.sieve.driver.RtlDevice;
import dev.sieve.driver.SatDevice;
import dev.sieve.driver.data.Dataset;
import dev.sieve.driver.nn.Act;
import dev.sieve.driver.nn.GemmLayer;
import dev.sieve.driver.nn.Models;
import dev.sieve.driver.nn.Network;
import dev.sieve.driver.nn.Param;
import dev.sieve.driver.nn.Sgd;
import dev.sieve.driver.nn.SoftmaxCrossEntropy;
import dev.sieve.io.InputException;
import dev.sieve.io.Progress;
import dev.sieve.io.ReportWriter;
import dev.sieve.sim.sat.SatModel;
import dev.sieve.sim.sat.SatResult;
import dev.sieve.sim.sat.SatRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The training loop. Each step: pre-generate every layer's operands (masks from the current dense
 * weights), forward, softmax cross-entropy, backward (data gradient N:M, weight gradient dense, on
 * the device), SGD with momentum, weight decay and SR-STE on the dense weights. The sample order of
 * epoch e is a permutation drawn from {@code (seed, e)} and the learning rate follows a cosine over
 * all steps, so a run resumed from an epoch's checkpoint repeats exactly what the uninterrupted run
 * does.
 */
public final class Trainer {

    /**
     * Hyperparameters and the run's identity. {@code denseBackward}: SR-STE as published (N:M in the
     * forward pass only, the data gradient dense on the forward-pruned weights) instead of BDWP.
     */
    public record Options(String model, NmPattern nm, BackwardMaskSource backwardMask, int epochs, int batch, long seed,
                          float lr, float momentum, float weightDecay, float srsteLambda, boolean denseBackward,
                          int warmupSteps) {
        public Options {
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("warm-up steps = " + warmupSteps + " is out of range; allowed >= 0");
            }
        }

        /** No learning-rate warm-up. */
        public Options(String model, NmPattern nm, BackwardMaskSource backwardMask, int epochs, int batch, long seed,
                       float lr, float momentum, float weightDecay, float srsteLambda, boolean denseBackward) {
            this(model, nm, backwardMask, epochs, batch, seed, lr, momentum, weightDecay, srsteLambda, denseBackward, 0);
        }

        /** BDWP (forward and backward N:M), no warm-up. */
        public Options(String model, NmPattern nm, BackwardMaskSource backwardMask, int epochs, int batch, long seed,
                       float lr, float momentum, float weightDecay, float srsteLambda) {
            this(model, nm, backwardMask, epochs, batch, seed, lr, momentum, weightDecay, srsteLambda, false, 0);
        }

        /** The scheme's name in reports: {@code bdwp}, or {@code srste} (forward-only N:M). */
        public String scheme() {
            return denseBackward ? "srste" : "bdwp";
        }
    }

    /** What one epoch did. Cycle figures are per training step, averaged over the epoch's steps. */
    public record Epoch(int epoch, double loss, double trainAcc, double testAcc, double fwdCycles, double dgradCycles,
                        double wgradCycles, double pregenExposedCycles, double stepCycles, double denseStepCycles,
                        double energyUjPerStep, long exactOutputs, double wallSeconds, double cpuSeconds,
                        int steps, double stepSeconds, double nonGemmCycles, double denseNonGemmCycles) {
        /** Training steps per second of wall time (the steps alone: the test-set evaluation is left out). */
        public double stepsPerSecond() {
            return stepSeconds > 0 ? steps / stepSeconds : 0;
        }

        public double speedup() {
            return stepCycles == 0 ? 0 : denseStepCycles / stepCycles;
        }
    }

    private final Options opt;
    private final Device device;
    private final Dataset train;
    private final Dataset test;
    private final Network net;
    private final Sgd sgd;
    private final Map<Integer, long[]> stepModel = new HashMap<>();
    private int epochsDone;
    /** The training log so far: one row of {@link #LOG_COLUMNS} per epoch, cells formatted by {@link ReportWriter}. */
    private final List<List<String>> log = new ArrayList<>();

    public Trainer(Options opt, Device device, Dataset train, Dataset test) {
        this.opt = opt;
        this.device = device;
        this.train = train;
        this.test = test;
        this.net = Models.build(opt.model(), device, opt.nm(), opt.backwardMask(), opt.seed());
        if (opt.denseBackward()) {
            net.gemmLayers().forEach(GemmLayer::useDenseBackward);
        }
        this.sgd = new Sgd(opt.momentum(), opt.weightDecay(), opt.srsteLambda());
    }

    public Network network() {
        return net;
    }

    public int epochsDone() {
        return epochsDone;
    }

    /** The training log so far, one row of {@link #LOG_COLUMNS} per epoch done (restored ones included). */
    public List<List<String>> log() {
        return List.copyOf(log);
    }

    public int stepsPerEpoch() {
        return (train.n() + opt.batch() - 1) / opt.batch();
    }

    /** The learning rate of global step t ({@link #scheduledRate}). */
    float learningRate(long t) {
        return scheduledRate(opt.lr(), t, (long) stepsPerEpoch() * opt.epochs(), opt.warmupSteps());
    }

    /**
     * The schedule: a cosine from {@code lr} to 0 over the run's {@code total} steps,
     * {@code lr * (1 + cos(pi * t / total)) / 2}, times a linear warm-up {@code (t + 1) / warmup} over
     * the first {@code warmup} steps (Goyal et al., 2017; 0: none, the cosine alone).
     */
    public static float scheduledRate(float lr, long t, long total, int warmup) {
        double r = lr * 0.5 * (1 + Math.cos(Math.PI * t / total));
        if (t < warmup) {
            r *= (t + 1.0) / warmup;
        }
        return (float) r;
    }

    /** The sample order of epoch {@code e} (0-based). */
    int[] order(int e) {
        int[] o = new int[train.n()];
        for (int i = 0; i < o.length; i++) {
            o[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(opt.seed() * 0x9E3779B97F4A7C15L + e + 1);
        for (int i = o.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /** Trains epoch {@code epochsDone + 1}, showing its steps and running loss on {@code progress} (may be null). */
    public Epoch runEpoch(Progress progress) {
        int e = epochsDone;
        long t0 = System.nanoTime();
        double cpu0 = processCpuSeconds();
        int[] order = order(e);
        int steps = stepsPerEpoch();
        int px = train.rows() * train.cols();
        float[] xb = new float[opt.batch() * px];
        int[] yb = new int[opt.batch()];
        double lossSum = 0;
        long correct = 0;
        Counters before = device.counters();
        double exposed = 0;
        double nonGemm = 0;
        double denseNonGemm = 0;
        for (int s = 0; s < steps; s++) {
            int from = s * opt.batch();
            int b = Math.min(opt.batch(), train.n() - from);
            train.batch(order, from, b, xb, yb);
            Act x = new Act(b == opt.batch() ? xb : java.util.Arrays.copyOf(xb, b * px), 1, b, train.rows(), train.cols());
            SoftmaxCrossEntropy.Result r = step(x, yb, (long) e * steps + s);
            lossSum += r.loss() * b;
            correct += r.correct();
            long[] m = stepModel(b);
            exposed += m[0];
            nonGemm += m[1];
            denseNonGemm += m[2];
            if (progress != null) {
                progress.message(String.format(Locale.ROOT, "loss %.4f", lossSum / (from + b)));
                progress.step();
            }
        }
        Counters c = device.counters().minus(before);
        double stepSeconds = (System.nanoTime() - t0) / 1e9;
        double testAcc = evaluate(test);
        epochsDone++;
        double wall = (System.nanoTime() - t0) / 1e9;
        double stepArray = (double) c.arrayCycles() / steps;
        Epoch ep = new Epoch(epochsDone, lossSum / train.n(), 100.0 * correct / train.n(), testAcc,
                (double) c.cycles(dev.sieve.dataflow.sat.Pass.FORWARD) / steps,
                (double) c.cycles(dev.sieve.dataflow.sat.Pass.DATA_GRADIENT) / steps,
                (double) c.cycles(dev.sieve.dataflow.sat.Pass.WEIGHT_GRADIENT) / steps, exposed / steps,
                stepArray + (exposed + nonGemm) / steps, ((double) c.denseArrayCycles() + denseNonGemm) / steps,
                c.energyPj() / 1e6 / steps, c.exactOutputs(), wall, processCpuSeconds() - cpu0, steps, stepSeconds,
                nonGemm / steps, denseNonGemm / steps);
        log.add(logRow(ep));
        return ep;
    }

    /**
     * One training step on batch {@code x} with labels {@code y} at global step {@code t}: pre-generation,
     * forward, loss, backward, SGD at {@link #learningRate}{@code (t)}. Returns the batch's loss (mean) and hits.
     */
    SoftmaxCrossEntropy.Result step(Act x, int[] y, long t) {
        net.pregen();
        Act logits = net.forward(x);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.apply(logits, y, 0);
        net.backward(r.grad());
        sgd.step(net.params(), learningRate(t));
        return r;
    }

    /** CPU time of this process so far (all threads, JIT and GC included), seconds; 0 if unknown. */
    static double processCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /**
     * The SAT record whose model counts this run's cycles: the SAT device's, or the generated
     * accelerator's (whose counters are the same model's); null on the CPU reference.
     */
    private SatConfig satConfig() {
        return device instanceof SatDevice sat ? sat.config() : device instanceof RtlDevice rtl ? rtl.config() : null;
    }

    /**
     * What the SAT model adds to the device's counted array cycles in one step of batch b: {pre-generation
     * not hidden behind the array, the step's non-GEMM cycles (vector unit: ReLU, pooling, loss, weight
     * update, SR-STE's decay; {@code SatResult.nonGemmCycles}), the dense step's non-GEMM cycles}; all 0
     * off SAT. The modelled step, and so {@code modelled_speedup_vs_dense}, is the whole training step.
     */
    private long[] stepModel(int b) {
        SatConfig cfg = satConfig();
        if (cfg == null) {
            return new long[3];
        }
        return stepModel.computeIfAbsent(b, bb -> {
            Topology t = net.topology();
            SatResult r = SatModel.simulate(cfg, t, new SatRun(bb, opt.nm(), true, opt.backwardMask()));
            SatResult d = opt.nm().isDense() ? r
                    : SatModel.simulate(cfg, t, new SatRun(bb, NmPattern.DENSE, true, opt.backwardMask()));
            return new long[] {opt.nm().isDense() ? 0 : r.exposedPregenCycles(), r.nonGemmCycles(), d.nonGemmCycles()};
        });
    }

    /** Model-level array cycles of one training step of batch b (SAT model), for cross-checks. */
    public long modelArrayCycles(int b) {
        return SatModel.simulate(satConfig(), net.topology(), new SatRun(b, opt.nm(), true, opt.backwardMask()))
                .arrayCycles();
    }

    /** One layer's modelled array cycles in a training step (all three passes), N:M and dense. */
    public record LayerCycles(String layer, NmPattern pattern, long cycles, long denseCycles) {
        public double speedup() {
            return cycles == 0 ? 0 : (double) denseCycles / cycles;
        }
    }

    /**
     * Per-layer array cycles of one training step of batch {@code b} on the SAT model, with this
     * run's patterns and all dense: where the step's speedup comes from (SAT backend only).
     */
    public List<LayerCycles> layerCycles(int b) {
        SatConfig cfg = satConfig();
        Topology t = net.topology();
        SatResult nm = SatModel.simulate(cfg, t, new SatRun(b, opt.nm(), true, opt.backwardMask()));
        SatResult dense = SatModel.simulate(cfg, t, new SatRun(b, NmPattern.DENSE, true, opt.backwardMask()));
        List<LayerCycles> out = new ArrayList<>();
        for (int i = 0; i < t.layers().size(); i++) {
            final int li = i;
            // SR-STE charges its data gradients dense (the device does so launch by launch)
            long c = nm.passes().stream().filter(ps -> ps.layerIndex() == li)
                    .filter(ps -> !(opt.denseBackward() && ps.pass() == Pass.DATA_GRADIENT))
                    .mapToLong(ps -> ps.cycles()).sum()
                    + (opt.denseBackward() ? dense.passes().stream().filter(ps -> ps.layerIndex() == li)
                    .filter(ps -> ps.pass() == Pass.DATA_GRADIENT).mapToLong(ps -> ps.cycles()).sum() : 0);
            long d = dense.passes().stream().filter(ps -> ps.layerIndex() == li).mapToLong(ps -> ps.cycles()).sum();
            NmPattern p = opt.nm().isDense() || t.layers().get(i).sparsity() == null ? NmPattern.DENSE
                    : t.layers().get(i).sparsity();
            out.add(new LayerCycles(t.layers().get(i).name(), p, c, d));
        }
        return out;
    }

    /** Test accuracy in percent (forward only, pruned weights; its launches are not counted). */
    public double evaluate(Dataset data) {
        Counters before = device.counters();
        RtlDevice.RtlStats rtlBefore = device instanceof RtlDevice rtl ? rtl.rtlStats() : null;
        int px = data.rows() * data.cols();
        int bs = 500;
        int[] order = new int[data.n()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        float[] xb = new float[bs * px];
        int[] yb = new int[bs];
        long correct = 0;
        net.pregen();
        for (int from = 0; from < data.n(); from += bs) {
            int b = Math.min(bs, data.n() - from);
            data.batch(order, from, b, xb, yb);
            Act x = new Act(b == bs ? xb : java.util.Arrays.copyOf(xb, b * px), 1, b, data.rows(), data.cols());
            Act logits = net.forward(x);
            for (int n = 0; n < b; n++) {
                if (SoftmaxCrossEntropy.argmax(logits, n) == yb[n]) {
                    correct++;
                }
            }
        }
        restore(before, rtlBefore);
        return 100.0 * correct / data.n();
    }

    private void restore(Counters before, RtlDevice.RtlStats rtlBefore) {
        if (device instanceof SatDevice sat) {
            sat.setCounters(before);
        } else if (device instanceof RtlDevice rtl) {
            rtl.setCounters(before);
            rtl.setRtlStats(rtlBefore);
        }
    }

    /** Columns of {@code train-log.csv}; cycle figures are per training step, averaged over the epoch. */
    public static final List<String> LOG_COLUMNS = List.of("epoch", "loss", "train_acc_pct", "test_acc_pct",
            "fwd_cycles_per_step", "dgrad_cycles_per_step", "wgrad_cycles_per_step", "pregen_exposed_cycles_per_step",
            "step_cycles", "dense_step_cycles", "modelled_speedup_vs_dense", "ideal_speedup", "energy_uJ_per_step",
            "exact_fp_outputs", "wall_s", "cpu_s");

    private List<String> logRow(Epoch e) {
        return Stream.of(e.epoch(), e.loss(), e.trainAcc(), e.testAcc(), e.fwdCycles(), e.dgradCycles(),
                e.wgradCycles(), e.pregenExposedCycles(), e.stepCycles(), e.denseStepCycles(), e.speedup(),
                opt.nm().idealTrainingSpeedup(), e.energyUjPerStep(), e.exactOutputs(), e.wallSeconds(),
                e.cpuSeconds()).map(ReportWriter::format).toList();
    }

    public Checkpoint.Settings settings() {
        // the scheme travels with the backward-mask setting (SR-STE has no backward mask), so a checkpoint
        // of one scheme is refused by a resume of the other and BDWP checkpoints read as before
        String backward = opt.backwardMask().name() + (opt.denseBackward() ? "+SRSTE_DENSE_BACKWARD" : "");
        return new Checkpoint.Settings(opt.model(), opt.nm().toString(), backward, opt.seed(),
                opt.batch(), opt.epochs(), opt.lr(), opt.momentum(), opt.weightDecay(), opt.srsteLambda(), train.n(),
                opt.warmupSteps());
    }

    public Checkpoint checkpoint() {
        List<Checkpoint.Tensor> ts = new ArrayList<>();
        for (Param p : net.params()) {
            ts.add(new Checkpoint.Tensor(p.name(), p.value().clone(), p.momentum().clone()));
        }
        // the log's rows travel in the checkpoint as comma-joined cells (numbers only, so no quoting)
        return new Checkpoint(settings(), epochsDone, log.stream().map(r -> String.join(",", r)).toList(), ts);
    }

    /** Continues from {@code c} (read and verified whole before this is called); settings must match. */
    public void restore(Checkpoint c, Path file) {
        if (!c.settings().equals(settings())) {
            throw new InputException(file, 0, "settings", "checkpoint was written by " + c.settings()
                    + ", not by this command's " + settings() + "; resume with the same options");
        }
        List<Param> ps = net.params();
        if (ps.size() != c.params().size()) {
            throw new InputException(file, 0, "params", c.params().size() + " tensors, model has " + ps.size());
        }
        for (int i = 0; i < ps.size(); i++) {
            Checkpoint.Tensor t = c.params().get(i);
            Param p = ps.get(i);
            if (!t.name().equals(p.name()) || t.value().length != p.value().length) {
                throw new InputException(file, 0, "params", "tensor " + t.name() + "[" + t.value().length
                        + "] does not match " + p.name() + "[" + p.value().length + "]");
            }
        }
        for (int i = 0; i < ps.size(); i++) {
            System.arraycopy(c.params().get(i).value(), 0, ps.get(i).value(), 0, ps.get(i).value().length);
            System.arraycopy(c.params().get(i).momentum(), 0, ps.get(i).momentum(), 0, ps.get(i).momentum().length);
        }
        epochsDone = c.epochsDone();
        log.clear();
        for (String row : c.csvRows()) {
            log.add(List.of(row.split(",", -1)));
        }
    }
}
