package dev.sieve.hdl.lib;

import dev.sieve.arch.Range;
import dev.sieve.hdl.Bits;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Memory;
import dev.sieve.hdl.Signal;
import dev.sieve.hdl.Stream;

/**
 * A synchronous first-word-fall-through FIFO between two streams: {@code out_payload} shows the
 * oldest entry while {@code out_valid} is high. A push and a pop may happen in the same cycle,
 * also when full (the pop frees the slot only at the edge, so {@code in_ready} is low when full).
 * Storage is a memory with an asynchronous read, which maps to distributed (LUT) RAM.
 */
public final class Fifo extends Component {

    /** FIFO parameters: payload {@code width} bits (1..1024), {@code depth} entries (2..65536). */
    public record Config(int width, int depth) {
        public static final Range WIDTH = new Range(1, 1024);
        public static final Range DEPTH = new Range(2, 65536);

        public Config {
            WIDTH.check("width", width);
            DEPTH.check("depth", depth);
        }
    }

    public final Stream in;
    public final Stream out;
    public final Signal count;
    private final Memory slots;
    private final Signal wrPtr;
    private final Signal rdPtr;
    private final Signal used;

    public Fifo(Config cfg) {
        super("fifo_w" + cfg.width() + "_d" + cfg.depth());
        int aw = Bits.widthFor(cfg.depth() - 1);
        int cw = Bits.widthFor(cfg.depth());
        in = streamIn("in", cfg.width());
        out = streamOut("out", cfg.width());
        count = output(cw);

        slots = memory(cfg.width(), cfg.depth());
        wrPtr = reg(aw, 0);
        rdPtr = reg(aw, 0);
        used = reg(cw, 0);

        Expr full = used.eq(cfg.depth());
        Expr empty = used.eq(0);
        assign(in.ready(), full.not());
        assign(out.valid(), empty.not());
        assign(out.payload(), readAsync(slots, rdPtr));
        assign(count, used);

        Expr push = in.fire();
        Expr pop = out.fire();
        write(slots, wrPtr, in.payload(), push);
        when(push, () -> assign(wrPtr, increment(wrPtr, cfg.depth())));
        when(pop, () -> assign(rdPtr, increment(rdPtr, cfg.depth())));
        when(push.and(pop.not()), () -> assign(used, used.add(1)))
                .elsewhen(pop.and(push.not()), () -> assign(used, used.sub(1)));
    }

    /** {@code ptr + 1} modulo {@code depth}. */
    private static Expr increment(Signal ptr, int depth) {
        if (depth == 1 << ptr.width()) {
            return ptr.add(1);
        }
        return ptr.eq(depth - 1).select(Expr.zero(ptr.width()), ptr.add(1));
    }
}
