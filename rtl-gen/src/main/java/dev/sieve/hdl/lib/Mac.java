package dev.sieve.hdl.lib;

import dev.sieve.arch.Range;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Signal;

/**
 * Multiply-accumulate: on a cycle with {@code valid}, {@code acc <= (clear ? 0 : acc) + a*b};
 * on a cycle with only {@code clear}, {@code acc <= 0}. Signed (two's complement) or unsigned;
 * the accumulator wraps modulo 2^accWidth.
 */
public final class Mac extends Component {

    /** MAC parameters: operand widths 1..32, accumulator at least the product width, up to 96. */
    public record Config(int aWidth, int bWidth, int accWidth, boolean signed) {
        public static final Range OPERAND_WIDTH = new Range(1, 32);
        /** Widest accumulator; the narrowest is {@code a_width + b_width}. */
        public static final int MAX_ACC_WIDTH = 96;
        /** What {@code acc_width} may be, in words. */
        public static final String ACC_WIDTH_ALLOWED = "a_width + b_width .. " + MAX_ACC_WIDTH;

        public Config {
            OPERAND_WIDTH.check("a_width", aWidth);
            OPERAND_WIDTH.check("b_width", bWidth);
            if (accWidth < aWidth + bWidth || accWidth > MAX_ACC_WIDTH) {
                throw new IllegalArgumentException("acc_width = " + accWidth + " is out of range; allowed "
                        + (aWidth + bWidth) + " .. " + MAX_ACC_WIDTH + " (at least a_width + b_width)");
            }
        }
    }

    public final Signal a;
    public final Signal b;
    public final Signal valid;
    public final Signal clear;
    public final Signal acc;
    private final Signal sum;

    public Mac(Config cfg) {
        super("mac_" + (cfg.signed() ? "s" : "u") + cfg.aWidth() + "x" + cfg.bWidth() + "_acc" + cfg.accWidth());
        a = input(cfg.aWidth());
        b = input(cfg.bWidth());
        valid = input(1);
        clear = input(1);
        acc = output(cfg.accWidth());
        sum = reg(cfg.accWidth(), 0);

        Expr product = Logic.extend(Logic.multiply(a, b, cfg.signed()), cfg.accWidth(), cfg.signed());
        Expr base = clear.select(Expr.zero(cfg.accWidth()), sum);
        when(valid, () -> assign(sum, base.add(product)))
                .elsewhen(clear, () -> assign(sum, 0));
        assign(acc, sum);
    }
}
