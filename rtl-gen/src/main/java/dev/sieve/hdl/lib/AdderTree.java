package dev.sieve.hdl.lib;

import dev.sieve.arch.Range;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * Sums {@code count} operands of {@code width} bits into {@code width + ceil(log2 count)} bits
 * (never overflows). Combinational, or pipelined with one register level per tree level
 * (latency ceil(log2 count), advancing every cycle).
 */
public final class AdderTree extends Component {

    /** Adder-tree parameters: width 1..64, count 2..256. */
    public record Config(int width, int count, boolean signed, boolean pipelined) {
        public static final Range WIDTH = new Range(1, 64);
        public static final Range COUNT = new Range(2, 256);

        public Config {
            WIDTH.check("width", width);
            COUNT.check("count", count);
        }

        public int sumWidth() {
            return Logic.sumWidth(width, count);
        }
    }

    public final List<Signal> in = new ArrayList<>();
    public final Signal sum;

    public AdderTree(Config cfg) {
        super("adder_tree_" + (cfg.signed() ? "s" : "u") + cfg.width() + "x" + cfg.count()
                + (cfg.pipelined() ? "_p" : ""));
        for (int i = 0; i < cfg.count(); i++) {
            in.add(input("in_" + i, cfg.width()));
        }
        sum = output(cfg.sumWidth());
        assign(sum, Logic.adderTree(this, "level", in, cfg.signed(), cfg.pipelined(), null));
    }
}
