package dev.sieve.hdl.lib;

import dev.sieve.hdl.Bits;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Signal;
import java.util.ArrayList;
import java.util.List;

/** Structures built inline inside any component: delay lines, adder trees, multiplies. */
public final class Logic {
    private Logic() {
    }

    /**
     * {@code x} delayed by {@code stages} clock cycles through registers {@code name_0 ..}
     * (reset to zero, advancing when {@code enable} is high, or every cycle if it is null); zero stages return {@code x}.
     */
    public static Expr delay(Component c, String name, Expr x, int stages, Expr enable) {
        Expr cur = x;
        for (int i = 0; i < stages; i++) {
            Signal r = c.reg(name + "_" + i, x.width(), 0);
            advance(c, r, cur, enable);
            cur = r;
        }
        return cur;
    }

    /** Width of the sum of {@code count} operands of {@code width} bits: no overflow possible. */
    public static int sumWidth(int width, int count) {
        return width + Bits.log2Ceil(count);
    }

    /**
     * Sum of {@code operands} (all the same width) as a balanced binary tree, each level
     * widening by one bit, signed or unsigned, so the result never overflows. With
     * {@code pipelined}, every level is registered (registers {@code name_l<level>_<i>},
     * advancing when {@code enable} is high), giving a latency of ceil(log2(n)) cycles.
     */
    public static Expr adderTree(Component c, String name, List<? extends Expr> operands, boolean signed,
                                 boolean pipelined, Expr enable) {
        if (operands.isEmpty()) {
            throw new IllegalArgumentException("adder tree of no operands");
        }
        List<Expr> level = new ArrayList<>(operands);
        int depth = Bits.log2Ceil(level.size());
        for (int l = 0; l < depth; l++) {
            List<Expr> next = new ArrayList<>();
            int w = level.get(0).width() + 1;
            for (int i = 0; i < level.size(); i += 2) {
                Expr a = extend(level.get(i), w, signed);
                Expr sum = i + 1 < level.size() ? a.add(extend(level.get(i + 1), w, signed)) : a;
                if (pipelined) {
                    Signal r = c.reg(name + "_l" + l + "_" + (i / 2), w, 0);
                    advance(c, r, sum, enable);
                    next.add(r);
                } else {
                    next.add(sum);
                }
            }
            level = next;
        }
        return level.get(0);
    }

    /** {@code r <= value} every cycle, or only where {@code enable} is high when it is not null. */
    private static void advance(Component c, Signal r, Expr value, Expr enable) {
        if (enable == null) {
            c.assign(r, value);
        } else {
            c.when(enable, () -> c.assign(r, value));
        }
    }

    /** Zero- or sign-extends {@code x} to {@code width}. */
    public static Expr extend(Expr x, int width, boolean signed) {
        return signed ? x.sext(width) : x.zext(width);
    }

    /** Full-width product, signed (two's complement) or unsigned. */
    public static Expr multiply(Expr a, Expr b, boolean signed) {
        return signed ? a.mulS(b) : a.mulU(b);
    }
}
