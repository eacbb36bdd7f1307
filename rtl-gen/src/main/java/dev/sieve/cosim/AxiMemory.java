package dev.sieve.cosim;

import com.sun.jna.Function;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;

/**
 * A memory behind a design's AXI4 master port, served inside the native model library: a design
 * built with {@link BuildOptions#withAxiMemory} runs a whole command (until its done output rises)
 * in one native call, where a Java memory needs several calls per cycle. Contents move in bulk
 * ({@link #write}, {@link #read}) before and after a command.
 *
 * <p>Its timing is the rule of the Java memory in {@code SatAcceleratorBench}, which stays the
 * reference (a test runs both on the same pass): every address accepted at once, a read burst's
 * beats one per cycle from {@code latency + 1} cycles after its address (bursts in order), write
 * data taken in the order of the write addresses, a write burst answered {@code latency + 1} cycles
 * after its last beat. The design's {@code arready},
 * {@code awready} and {@code wready} inputs are the caller's to hold at 1.
 */
public final class AxiMemory implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final VerilatedModel model;
    private final Function write;
    private final Function read;
    private final Function serve;
    private final NativeHandle memory;
    private final Cleaner.Cleanable cleanable;

    /** True when {@code design} was built with a native AXI memory. */
    public static boolean builtInto(CompiledDesign design) {
        return design.binding().exports("sieve_axi_serve");
    }

    /** An empty memory answering {@code latency} cycles beyond one beat per cycle, for {@code model}. */
    public AxiMemory(VerilatedModel model, int latency) {
        if (latency < 0) {
            throw new IllegalArgumentException("latency = " + latency + " is out of range; allowed >= 0");
        }
        NativeBinding nat = model.binding();
        if (!nat.exports("sieve_axi_serve")) {
            throw new IllegalArgumentException("design " + model.design().top() + " was built without a native AXI "
                    + "memory; compile it with BuildOptions.withAxiMemory");
        }
        this.model = model;
        this.write = nat.function("sieve_axi_write");
        this.read = nat.function("sieve_axi_read");
        this.serve = nat.function("sieve_axi_serve");
        Pointer p = nat.function("sieve_axi_create").invokePointer(new Object[] {(long) latency});
        Function destroy = nat.function("sieve_axi_destroy");
        this.memory = new NativeHandle(ptr -> destroy.invokeVoid(new Object[] {ptr}), p);
        this.cleanable = CLEANER.register(this, memory);
    }

    /** Copies {@code bytes} into memory at {@code address}. */
    public void write(long address, byte[] bytes) {
        write.invokeVoid(new Object[] {ptr(), address, bytes, (long) bytes.length});
    }

    /** {@code length} bytes of memory from {@code address} (never written bytes are 0). */
    public byte[] read(long address, int length) {
        byte[] out = new byte[length];
        read.invokeVoid(new Object[] {ptr(), address, out, (long) length});
        return out;
    }

    /**
     * Runs cycles with this memory answering the port until the done output is 1 (looked at, after
     * the design settles, before each cycle) and returns the cycles run; -1 when it is still 0 after
     * more than {@code maxCycles}. {@code now} is the caller's cycle count (the time base of bursts
     * still queued from an earlier call).
     */
    public long serve(long now, long maxCycles) {
        long n = serve.invokeLong(new Object[] {model.pointer(), ptr(), now, maxCycles});
        if (n == -2) {
            throw new IllegalStateException("design " + model.design().top() + " sent write data before its address");
        }
        model.advance(n >= 0 ? n : maxCycles + 1);
        return n;
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    private Pointer ptr() {
        Pointer p = memory.ptr;
        if (p == null) {
            throw new IllegalStateException("AXI memory is closed");
        }
        return p;
    }
}
