package dev.sieve.cosim;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The C ABI of one {@code model.so}, bound through JNA. Libraries are opened with
 * {@code RTLD_NOW | RTLD_LOCAL} (and linked with {@code -Bsymbolic}, runtime symbols hidden), so
 * any number of models, even of equally named top modules, live side by side in one JVM.
 */
final class NativeBinding {
    private static final int RTLD_NOW_LOCAL = 2; // RTLD_NOW (2) | RTLD_LOCAL (0) on Linux
    private static final int ABI_VERSION = 2; // 2: sieve_has_trace, builds without --trace
    private static final Map<Path, NativeBinding> LOADED = new ConcurrentHashMap<>();

    final Path library;
    final List<Port> ports;
    final int clockPort;
    final int resetPort;
    final int inFrameWords;
    final int outFrameWords;

    private final Function create;
    private final Function destroy;
    private final Function set;
    private final Function get;
    private final Function setU64;
    private final Function getU64;
    private final Function eval;
    private final Function step;
    private final Function reset;
    private final Function run;
    private final Function traceOpen;
    private final Function traceClose;
    private final Function traceFlush;
    /** True when the library was Verilated with {@code --trace} and can write VCD waveforms. */
    final boolean hasTrace;
    private final NativeLibrary lib;

    private NativeBinding(Path library) {
        this.library = library;
        NativeLibrary lib = NativeLibrary.getInstance(library.toString(),
                Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW_LOCAL));
        int abi = lib.getFunction("sieve_abi_version").invokeInt(new Object[0]);
        if (abi != ABI_VERSION) {
            throw new IllegalStateException(library + " speaks cosim ABI " + abi + ", expected " + ABI_VERSION);
        }
        int count = lib.getFunction("sieve_port_count").invokeInt(new Object[0]);
        Function name = lib.getFunction("sieve_port_name");
        Function width = lib.getFunction("sieve_port_width");
        Function dir = lib.getFunction("sieve_port_dir");
        List<Port> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Object[] idx = {i};
            list.add(new Port(name.invokeString(idx, false), width.invokeInt(idx),
                    Direction.fromCode(dir.invokeInt(idx))));
        }
        this.ports = List.copyOf(list);
        this.clockPort = lib.getFunction("sieve_clock_port").invokeInt(new Object[0]);
        this.resetPort = lib.getFunction("sieve_reset_port").invokeInt(new Object[0]);
        this.inFrameWords = lib.getFunction("sieve_in_frame_words").invokeInt(new Object[0]);
        this.outFrameWords = lib.getFunction("sieve_out_frame_words").invokeInt(new Object[0]);
        this.create = lib.getFunction("sieve_create");
        this.destroy = lib.getFunction("sieve_destroy");
        this.set = lib.getFunction("sieve_set");
        this.get = lib.getFunction("sieve_get");
        this.setU64 = lib.getFunction("sieve_set_u64");
        this.getU64 = lib.getFunction("sieve_get_u64");
        this.eval = lib.getFunction("sieve_eval");
        this.step = lib.getFunction("sieve_step");
        this.reset = lib.getFunction("sieve_reset");
        this.run = lib.getFunction("sieve_run");
        this.traceOpen = lib.getFunction("sieve_trace_open");
        this.traceClose = lib.getFunction("sieve_trace_close");
        this.traceFlush = lib.getFunction("sieve_trace_flush");
        this.hasTrace = lib.getFunction("sieve_has_trace").invokeInt(new Object[0]) == 1;
        this.lib = lib;
    }

    /** True when the library exports {@code name} (an optional part of the harness, such as the AXI memory). */
    boolean exports(String name) {
        try {
            lib.getFunction(name);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** An optional exported function; throws when the library was built without it. */
    Function function(String name) {
        return lib.getFunction(name);
    }

    static NativeBinding load(Path library) {
        return LOADED.computeIfAbsent(library.toAbsolutePath().normalize(), NativeBinding::new);
    }

    Pointer create() {
        Pointer p = create.invokePointer(new Object[0]);
        if (p == null) {
            throw new IllegalStateException("sieve_create returned null for " + library);
        }
        return p;
    }

    void destroy(Pointer h) {
        destroy.invokeVoid(new Object[] {h});
    }

    void set(Pointer h, int port, long[] words) {
        set.invokeVoid(new Object[] {h, port, words});
    }

    void get(Pointer h, int port, long[] words) {
        get.invokeVoid(new Object[] {h, port, words});
    }

    void setU64(Pointer h, int port, long value) {
        setU64.invokeVoid(new Object[] {h, port, value});
    }

    long getU64(Pointer h, int port) {
        return getU64.invokeLong(new Object[] {h, port});
    }

    void eval(Pointer h) {
        eval.invokeVoid(new Object[] {h});
    }

    void step(Pointer h, long cycles) {
        step.invokeVoid(new Object[] {h, cycles});
    }

    void reset(Pointer h, long cycles) {
        reset.invokeVoid(new Object[] {h, cycles});
    }

    void run(Pointer h, long cycles, Pointer in, Pointer out) {
        run.invokeVoid(new Object[] {h, cycles, in, out});
    }

    boolean traceOpen(Pointer h, String path) {
        return traceOpen.invokeInt(new Object[] {h, path}) == 0;
    }

    void traceClose(Pointer h) {
        traceClose.invokeVoid(new Object[] {h});
    }

    void traceFlush(Pointer h) {
        traceFlush.invokeVoid(new Object[] {h});
    }
}
