package dev.sieve.cosim;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One running instance of a Verilated design. Not thread-safe; separate instances are independent
 * (each has its own Verilator context) and may run on separate threads.
 *
 * <h2>Cycle semantics</h2>
 * For a design with a clock input {@code clk} (rising-edge logic), one cycle is:
 * <ol>
 *   <li>the cycle's inputs are applied ({@link #poke} before {@link #step}, or the cycle's frame in
 *       {@link #runBatch}),</li>
 *   <li>{@code clk = 0}, eval (waveform time {@code 2t}),</li>
 *   <li>{@code clk = 1}, eval (waveform time {@code 2t + 1}): registers capture the applied inputs,</li>
 *   <li>outputs are sampled (by {@code runBatch}, or by {@code peek} after {@code step}), after the
 *       rising edge and with the cycle's inputs still applied.</li>
 * </ol>
 * So the outputs of cycle {@code k} show the register state after {@code k + 1} rising edges, plus
 * any combinational path from the cycle's own inputs. The clock starts low and, once a cycle has
 * run, rests high between calls. A design without {@code clk} is combinational: a cycle is "apply
 * inputs, eval, sample". {@link #peek} first settles the design (one eval) when inputs were poked
 * since the last eval. Time {@code t} counts cycles since the instance was created; VCD time
 * advances two units per cycle.
 */
public final class VerilatedModel implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CompiledDesign design;
    private final NativeBinding nat;
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final List<Port> ports;
    private long cycles;
    private Path trace;

    VerilatedModel(CompiledDesign design, NativeBinding nat) {
        this.design = design;
        this.nat = nat;
        this.ports = nat.ports;
        this.handle = new NativeHandle(nat::destroy, nat.create());
        this.cleanable = CLEANER.register(this, handle);
    }

    public CompiledDesign design() {
        return design;
    }

    /** All ports, in the model's port-table order (the index used by the {@code int} overloads). */
    public List<Port> ports() {
        return ports;
    }

    /** Index of port {@code name} in {@link #ports()}; throws naming the available ports. */
    public int portIndex(String name) {
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("design " + design.top() + " has no port '" + name + "'; ports: " + ports);
    }

    public void poke(String port, long value) {
        poke(portIndex(port), value);
    }

    /** Sets input {@code port} (index into {@link #ports()}) to an unsigned value that fits its width. */
    public void poke(int port, long value) {
        Port p = writable(port);
        if (p.narrow()) {
            Bits.checkFits(p, value);
            nat.setU64(ptr(), port, value);
        } else {
            poke(port, Bits.unsigned(value));
        }
    }

    public void poke(String port, BigInteger value) {
        poke(portIndex(port), value);
    }

    public void poke(int port, BigInteger value) {
        Port p = writable(port);
        Bits.checkFits(p, value);
        nat.set(ptr(), port, Bits.toWords(value, p.width(), p.words()));
    }

    public long peekLong(String port) {
        return peekLong(portIndex(port));
    }

    /** Current value of a port of at most 64 bits. */
    public long peekLong(int port) {
        Port p = ports.get(port);
        if (!p.narrow()) {
            throw new IllegalArgumentException(p + " is wider than 64 bits; use peek()");
        }
        return nat.getU64(ptr(), port);
    }

    public BigInteger peek(String port) {
        return peek(portIndex(port));
    }

    /** Current value of a port of any width, unsigned. */
    public BigInteger peek(int port) {
        Port p = ports.get(port);
        long[] w = new long[p.words()];
        nat.get(ptr(), port, w);
        return Bits.fromWords(w, 0, w.length);
    }

    /** Evaluates the design without touching the clock (settles combinational logic). */
    public void eval() {
        nat.eval(ptr());
    }

    /** Runs {@code n} cycles with the currently applied inputs, clock loop in native code. */
    public void step(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("cycle count must be >= 0, got " + n);
        }
        nat.step(ptr(), n);
        cycles += n;
    }

    public void step() {
        step(1);
    }

    /**
     * Holds {@code rst} high for {@code cycles} cycles, then applies {@code rst = 0} (not yet clocked).
     * Does nothing when the design has no {@code rst} input.
     */
    public void reset(int cycles) {
        if (cycles < 0) {
            throw new IllegalArgumentException("reset cycles must be >= 0, got " + cycles);
        }
        if (design.hasReset()) {
            nat.reset(ptr(), cycles);
            this.cycles += cycles;
        }
    }

    /** Cycles run by this instance so far (steps, resets and batches). */
    public long cycles() {
        return cycles;
    }

    public FrameLayout inputLayout() {
        return design.inputLayout();
    }

    public FrameLayout outputLayout() {
        return design.outputLayout();
    }

    /** A zeroed buffer for {@code cycles} frames of inputs (every input except {@code clk}). */
    public CycleBuffer newInputBuffer(int cycles) {
        return new CycleBuffer(design.inputLayout(), cycles);
    }

    /** A buffer for {@code cycles} frames of outputs. */
    public CycleBuffer newOutputBuffer(int cycles) {
        return new CycleBuffer(design.outputLayout(), cycles);
    }

    /**
     * Runs {@code n} cycles in one native call: cycle {@code k} applies frame {@code k} of
     * {@code in}, clocks, and writes the sampled outputs into frame {@code k} of {@code out}. After
     * the call the last frame's inputs stay applied.
     */
    public void runBatch(CycleBuffer in, CycleBuffer out, int n) {
        if (in.layout() != design.inputLayout() || out.layout() != design.outputLayout()) {
            throw new IllegalArgumentException("buffers were not made for design " + design.top()
                    + "; use newInputBuffer/newOutputBuffer of a model of this design");
        }
        if (n < 0 || n > in.cycles() || n > out.cycles()) {
            throw new IllegalArgumentException("batch of " + n + " cycles does not fit buffers of "
                    + in.cycles() + " and " + out.cycles() + " cycles");
        }
        nat.run(ptr(), n, in.pointer(), out.pointer());
        cycles += n;
    }

    /** Runs as many cycles as both buffers hold. */
    public void runBatch(CycleBuffer in, CycleBuffer out) {
        runBatch(in, out, Math.min(in.cycles(), out.cycles()));
    }

    /**
     * Starts writing a VCD waveform of every later cycle to {@code vcd} (parent directories are
     * created). One waveform per instance; it is completed by {@link #close()}. Only a model of a
     * build with tracing can do this ({@link CompiledDesign#hasTrace()}); designs are built without
     * it, and {@link CompiledDesign#traced()} gives the traced build of the same design.
     *
     * @throws IllegalStateException when this instance already traces, or its build has no tracing
     */
    public void enableTrace(Path vcd) {
        if (trace != null) {
            throw new IllegalStateException("this instance already traces to " + trace);
        }
        if (!nat.hasTrace) {
            throw new IllegalStateException(design.top() + " (" + design.shortHash() + ") was built without --trace;"
                    + " a waveform needs a model of its traced build, CompiledDesign.traced()");
        }
        Path abs = vcd.toAbsolutePath();
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + abs, e);
        }
        if (!nat.traceOpen(ptr(), abs.toString())) {
            throw new IllegalStateException("this instance has already traced once");
        }
        trace = abs;
    }

    /** The waveform being written, or null. */
    public Path tracePath() {
        return trace;
    }

    /** Flushes buffered waveform data to disk. */
    public void flushTrace() {
        if (trace != null) {
            nat.traceFlush(ptr());
        }
    }

    /** Finishes the waveform file (if any) and frees the native instance. */
    @Override
    public void close() {
        cleanable.clean();
    }

    NativeBinding binding() {
        return nat;
    }

    /** The native instance, for harness parts that drive it in native code (see {@link AxiMemory}). */
    Pointer pointer() {
        return ptr();
    }

    /** Counts {@code n} cycles run by a harness part in native code. */
    void advance(long n) {
        cycles += n;
    }

    private Pointer ptr() {
        Pointer p = handle.ptr;
        if (p == null) {
            throw new IllegalStateException("model of " + design.top() + " is closed");
        }
        return p;
    }

    private Port writable(int port) {
        Port p = ports.get(port);
        if (p.dir() == Direction.OUTPUT) {
            throw new IllegalArgumentException("cannot poke " + p + ": it is an output");
        }
        return p;
    }
}
