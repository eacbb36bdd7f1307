package dev.sieve.hdl.lib;

import dev.sieve.arch.Range;
import dev.sieve.hdl.Bits;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Signal;

/**
 * A modulo counter: counts up by one on cycles where {@code enable} is high, from 0 to
 * {@code modulus - 1} and back to 0; {@code clear} forces it to 0 (and wins over enable).
 * {@code wrap} is high while the count is {@code modulus - 1} and enable is high.
 */
public final class Counter extends Component {

    /** Counter parameters: counts modulo {@code modulus} (2 .. 2^32). */
    public record Config(long modulus) {
        public static final Range MODULUS = new Range(2, 1L << 32);

        public Config {
            MODULUS.check("modulus", modulus);
        }

        public int width() {
            return Bits.widthFor(modulus - 1);
        }
    }

    public final Signal enable;
    public final Signal clear;
    public final Signal value;
    public final Signal wrap;
    private final Signal count;

    public Counter(Config cfg) {
        super("counter_m" + cfg.modulus());
        int w = cfg.width();
        enable = input(1);
        clear = input(1);
        value = output(w);
        wrap = output(1);
        count = reg(w, 0);

        boolean fullRange = cfg.modulus() == 1L << w;
        Expr atLast = count.eq(cfg.modulus() - 1);
        assign(wrap, atLast.and(enable));
        when(clear, () -> assign(count, 0))
                .elsewhen(enable, () -> {
                    if (fullRange) {
                        assign(count, count.add(1));
                    } else {
                        assign(count, atLast.select(Expr.zero(w), count.add(1)));
                    }
                });
        assign(value, count);
    }
}
