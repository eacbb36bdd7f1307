package dev.sieve.cosim;

import java.math.BigInteger;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Runs a compiled design and its Java {@link CycleModel} side by side on the same open-loop stimulus
 * and stops at the first cycle where any output differs.
 *
 * <p>Before any cycle runs, the model's ports are checked against the RTL's (all ports but
 * {@code clk}): names, widths and directions must agree ({@link PortMismatchException}). Then the
 * RTL is reset ({@code rst} high for {@link #resetCycles(int)} cycles, if it has {@code rst}) and the
 * model's {@link CycleModel#reset()} is called. Every input gets a value each cycle: from
 * {@link #drive}/{@link #driveWide} when given, {@code rst} is held at 0, every other input takes
 * uniform random bits from its own stream seeded by {@link #seed(long)} and the port name. The RTL
 * runs a batch of cycles in one native call; the model then replays the batch cycle by cycle in
 * Java and the outputs are compared (the model's values cut to the port width).
 *
 * <p>On a mismatch the same stimulus is replayed on a fresh RTL instance with tracing on, up to and
 * including the failing cycle, into {@code <waveformDir>/<top>-<hash12>-cycle<k>.vcd}. The default
 * directory is the system property {@code sieve.cosim.waveDir}, else {@code target/cosim-waves}.
 */
public final class Lockstep {
    private final CompiledDesign design;
    private final CycleModel model;
    private final Map<String, Object> drivers = new LinkedHashMap<>();
    private long cycles = 100_000;
    private long seed = 1;
    private int resetCycles = 2;
    private int batchCycles = 4096;
    private Path waveformDir;

    private Lockstep(CompiledDesign design, CycleModel model) {
        this.design = Objects.requireNonNull(design, "design");
        this.model = Objects.requireNonNull(model, "model");
    }

    public static Lockstep of(CompiledDesign design, CycleModel model) {
        return new Lockstep(design, model);
    }

    /** Number of cycles to compare after reset (default 100,000). */
    public Lockstep cycles(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("cycles must be >= 0, got " + n);
        }
        this.cycles = n;
        return this;
    }

    /** Seed of the random input streams (default 1). */
    public Lockstep seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Cycles {@code rst} is held high before cycle 0 (default 2; ignored without {@code rst}). */
    public Lockstep resetCycles(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("resetCycles must be >= 0, got " + n);
        }
        this.resetCycles = n;
        return this;
    }

    /** Cycles per native batch (default 4096). */
    public Lockstep batchCycles(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batchCycles must be >= 1, got " + n);
        }
        this.batchCycles = n;
        return this;
    }

    /** Where a failing run's VCD goes. */
    public Lockstep waveformDir(Path dir) {
        this.waveformDir = dir;
        return this;
    }

    /** Drives input {@code port} (at most 64 bits) with {@code stimulus} instead of random bits. */
    public Lockstep drive(String port, Stimulus stimulus) {
        Port p = drivable(port);
        if (!p.narrow()) {
            throw new IllegalArgumentException(p + " is wider than 64 bits; use driveWide");
        }
        drivers.put(port, Objects.requireNonNull(stimulus, "stimulus"));
        return this;
    }

    /** Drives input {@code port} of any width with {@code stimulus} instead of random bits. */
    public Lockstep driveWide(String port, WideStimulus stimulus) {
        drivable(port);
        drivers.put(port, Objects.requireNonNull(stimulus, "stimulus"));
        return this;
    }

    /** Runs and throws {@link CosimMismatchException} on the first difference. */
    public LockstepResult check() {
        LockstepResult r = run();
        r.mismatch().ifPresent(m -> {
            throw new CosimMismatchException(design.top(), m);
        });
        return r;
    }

    /** Runs and reports; never throws for a mismatch (it is in the result). */
    public LockstepResult run() {
        checkPorts(design, model);
        FrameLayout inLayout = design.inputLayout();
        FrameLayout outLayout = design.outputLayout();
        int[] modelIn = modelIndices(inLayout);
        int[] modelOut = modelIndices(outLayout);
        boolean[] wideIn = wideFlags(inLayout);
        boolean[] wideOut = wideFlags(outLayout);
        int[] inOff = offsets(inLayout);
        int[] outOff = offsets(outLayout);
        long[] outMask = new long[outLayout.size()];
        for (int s = 0; s < outMask.length; s++) {
            outMask[s] = Bits.mask(Math.min(64, outLayout.ports().get(s).width()));
        }
        int inFw = inLayout.frameWords();
        int outFw = outLayout.frameWords();
        int batch = (int) Math.max(1, Math.min(batchCycles, cycles));

        try (VerilatedModel rtl = design.newModel()) {
            CycleBuffer in = rtl.newInputBuffer(batch);
            CycleBuffer out = rtl.newOutputBuffer(batch);
            LongBuffer iw = in.words();
            LongBuffer ow = out.words();
            List<Source> sources = sources(inLayout);
            rtl.reset(resetCycles);
            model.reset();
            long start = System.nanoTime();
            long done = 0;
            while (done < cycles) {
                int n = (int) Math.min(batch, cycles - done);
                fill(sources, in, done, n);
                rtl.runBatch(in, out, n);
                for (int k = 0; k < n; k++) {
                    int ib = k * inFw;
                    for (int s = 0; s < modelIn.length; s++) {
                        if (wideIn[s]) {
                            model.setInput(modelIn[s], in.get(k, s));
                        } else {
                            model.setInput(modelIn[s], iw.get(ib + inOff[s]));
                        }
                    }
                    model.tick();
                    int ob = k * outFw;
                    for (int s = 0; s < modelOut.length; s++) {
                        if (wideOut[s]) {
                            Port p = outLayout.ports().get(s);
                            BigInteger expected = model.outputWide(modelOut[s])
                                    .and(BigInteger.ONE.shiftLeft(p.width()).subtract(BigInteger.ONE));
                            BigInteger actual = out.get(k, s);
                            if (!expected.equals(actual)) {
                                long nanos = System.nanoTime() - start;
                                return failed(done + k, p, expected, actual, nanos);
                            }
                        } else {
                            long expected = model.output(modelOut[s]) & outMask[s];
                            long actual = ow.get(ob + outOff[s]);
                            if (expected != actual) {
                                long nanos = System.nanoTime() - start;
                                return failed(done + k, outLayout.ports().get(s), Bits.unsigned(expected),
                                        Bits.unsigned(actual), nanos);
                            }
                        }
                    }
                }
                done += n;
            }
            return new LockstepResult(design.top(), done, System.nanoTime() - start, Optional.empty());
        }
    }

    /**
     * Checks that {@code model} declares exactly the RTL's ports other than {@code clk}, with equal
     * widths and directions; throws {@link PortMismatchException} listing every difference.
     */
    public static void checkPorts(CompiledDesign design, CycleModel model) {
        List<String> problems = new ArrayList<>();
        Map<String, Port> rtl = new LinkedHashMap<>();
        for (Port p : design.ports()) {
            if (!(design.hasClock() && p.name().equals(NativeSources.CLOCK))) {
                rtl.put(p.name(), p);
            }
        }
        Map<String, Port> java = new HashMap<>();
        for (Port p : model.ports()) {
            if (java.put(p.name(), p) != null) {
                problems.add("Java model declares port '" + p.name() + "' twice");
            }
            Port r = rtl.get(p.name());
            if (r == null) {
                problems.add("Java model port " + p + " does not exist in the RTL");
            } else if (r.width() != p.width() || r.dir() != p.dir()) {
                problems.add("port '" + p.name() + "': RTL has " + r + ", Java model has " + p);
            }
        }
        for (Port r : rtl.values()) {
            if (!java.containsKey(r.name())) {
                problems.add("RTL port " + r + " is missing from the Java model");
            }
        }
        if (!problems.isEmpty()) {
            throw new PortMismatchException(design.top() + " vs " + model.getClass().getSimpleName(), problems);
        }
    }

    private LockstepResult failed(long cycle, Port port, BigInteger expected, BigInteger actual, long nanos) {
        Path vcd = null;
        try {
            vcd = replayWithTrace(cycle);
        } catch (RuntimeException e) {
            System.err.println("cosim: could not write the waveform of the failing run: " + e);
        }
        long edge = 2 * ((design.hasReset() ? resetCycles : 0) + cycle) + (design.hasClock() ? 1 : 0);
        Mismatch m = new Mismatch(cycle, port, expected, actual, vcd, edge);
        return new LockstepResult(design.top(), cycle + 1, nanos, Optional.of(m));
    }

    private Path replayWithTrace(long failingCycle) {
        Path dir = waveformDir != null ? waveformDir
                : Path.of(System.getProperty("sieve.cosim.waveDir", Path.of("target", "cosim-waves").toString()));
        Path vcd = dir.resolve(design.top() + "-" + design.shortHash() + "-cycle" + failingCycle + ".vcd")
                .toAbsolutePath();
        long total = failingCycle + 1;
        int batch = (int) Math.max(1, Math.min(batchCycles, total));
        try (VerilatedModel rtl = design.traced().newModel()) { // a second, traced build of the design
            rtl.enableTrace(vcd);
            CycleBuffer in = rtl.newInputBuffer(batch);
            CycleBuffer out = rtl.newOutputBuffer(batch);
            List<Source> sources = sources(design.inputLayout());
            rtl.reset(resetCycles);
            long done = 0;
            while (done < total) {
                int n = (int) Math.min(batch, total - done);
                fill(sources, in, done, n);
                rtl.runBatch(in, out, n);
                done += n;
            }
        }
        return vcd;
    }

    // ---- stimulus -------------------------------------------------------------------------------

    /** Writes one input port's values for a run of cycles into a buffer. */
    private interface Source {
        void fill(CycleBuffer buf, int slot, long firstCycle, int n);
    }

    /** Fresh sources (random streams restart from the seed), one per input slot. */
    private List<Source> sources(FrameLayout layout) {
        List<Source> list = new ArrayList<>();
        for (Port p : layout.ports()) {
            Object d = drivers.get(p.name());
            if (d instanceof Stimulus f) {
                list.add(narrowSource(p, f));
            } else if (d instanceof WideStimulus f) {
                list.add((buf, slot, first, n) -> {
                    for (int k = 0; k < n; k++) {
                        buf.set(k, slot, f.valueAt(first + k));
                    }
                });
            } else if (p.name().equals(NativeSources.RESET) && design.hasReset()) {
                list.add(narrowSource(p, Stimulus.constant(0)));
            } else {
                list.add(randomSource(p, new SplittableRandom(seed ^ (p.name().hashCode() * 0x9E3779B97F4A7C15L))));
            }
        }
        return list;
    }

    private static Source narrowSource(Port p, Stimulus f) {
        long mask = p.mask();
        return (buf, slot, first, n) -> {
            LongBuffer w = buf.words();
            int fw = buf.layout().frameWords();
            int at = buf.layout().offset(slot);
            for (int k = 0; k < n; k++) {
                w.put(at + k * fw, f.valueAt(first + k) & mask);
            }
        };
    }

    private static Source randomSource(Port p, SplittableRandom rnd) {
        int words = p.words();
        long topMask = Bits.mask(p.width() - 64 * (words - 1));
        return (buf, slot, first, n) -> {
            LongBuffer w = buf.words();
            int fw = buf.layout().frameWords();
            int at = buf.layout().offset(slot);
            for (int k = 0; k < n; k++) {
                int base = at + k * fw;
                for (int i = 0; i < words - 1; i++) {
                    w.put(base + i, rnd.nextLong());
                }
                w.put(base + words - 1, rnd.nextLong() & topMask);
            }
        };
    }

    private static void fill(List<Source> sources, CycleBuffer buf, long firstCycle, int n) {
        for (int s = 0; s < sources.size(); s++) {
            sources.get(s).fill(buf, s, firstCycle, n);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Port drivable(String port) {
        FrameLayout in = design.inputLayout();
        int slot = in.indexOf(port);
        if (slot < 0) {
            throw new IllegalArgumentException("design " + design.top() + " has no drivable input '" + port
                    + "'; inputs: " + in.ports());
        }
        return in.ports().get(slot);
    }

    private int[] modelIndices(FrameLayout layout) {
        int[] idx = new int[layout.size()];
        for (int s = 0; s < idx.length; s++) {
            idx[s] = model.portIndex(layout.ports().get(s).name());
        }
        return idx;
    }

    private static boolean[] wideFlags(FrameLayout layout) {
        boolean[] wide = new boolean[layout.size()];
        for (int s = 0; s < wide.length; s++) {
            wide[s] = !layout.ports().get(s).narrow();
        }
        return wide;
    }

    private static int[] offsets(FrameLayout layout) {
        int[] off = new int[layout.size()];
        for (int s = 0; s < off.length; s++) {
            off[s] = layout.offset(s);
        }
        return off;
    }
}
