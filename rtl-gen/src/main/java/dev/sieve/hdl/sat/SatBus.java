package dev.sieve.hdl.sat;

import dev.sieve.hdl.Expr;
import java.util.ArrayList;
import java.util.List;

/** Packing of lanes into buses: lane {@code i} of width {@code w} is bits {@code [(i+1)w-1 : i*w]}. */
final class SatBus {
    private SatBus() {
    }

    static Expr lane(Expr bus, int index, int width) {
        return bus.slice((index + 1) * width - 1, index * width);
    }

    /** The lanes packed with element 0 in the low bits. */
    static Expr pack(List<? extends Expr> lanesLowFirst) {
        List<Expr> msbFirst = new ArrayList<>(lanesLowFirst);
        java.util.Collections.reverse(msbFirst);
        return msbFirst.size() == 1 ? msbFirst.get(0) : new Expr.Concat(msbFirst);
    }

    /** {@code options.get(index)} selected by the bits of {@code index} (a binary mux tree). */
    static Expr muxTree(Expr index, List<? extends Expr> options) {
        List<Expr> level = new ArrayList<>(options);
        int bit = 0;
        while (level.size() > 1) {
            List<Expr> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                next.add(i + 1 < level.size() ? index.bit(bit).select(level.get(i + 1), level.get(i)) : level.get(i));
            }
            level = next;
            bit++;
        }
        return level.get(0);
    }

    /** {@code options.get(code)} by equality tests, code 0's option when {@code code} is out of range. */
    static Expr byCode(Expr code, List<? extends Expr> options) {
        Expr sel = options.get(0);
        for (int i = 1; i < options.size(); i++) {
            sel = code.eq(i).select(options.get(i), sel);
        }
        return sel;
    }
}
