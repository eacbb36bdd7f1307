package dev.sieve.examples;

import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.ModuleDef;
import dev.sieve.hdl.Signal;
import dev.sieve.hdl.lib.Logic;
import dev.sieve.tools.GeneratedRtl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Example generator: counts the nonzero lanes of a vector each cycle (the density of an
 * activation group, as a sparse PE would) and accumulates the count with saturation.
 * Run it with {@code java -cp examples/target/sieve.jar dev.sieve.examples.PopcountAccumulator DIR}.
 */
public final class PopcountAccumulator extends Component {

    public final Signal lanes;
    public final Signal valid;
    public final Signal total;
    private final Signal acc;

    public PopcountAccumulator(int laneCount, int laneWidth, int totalWidth) {
        super("popcount_acc_l" + laneCount + "_w" + laneWidth + "_t" + totalWidth);
        lanes = input(laneCount * laneWidth);
        valid = input(1);
        total = output(totalWidth);
        acc = reg(totalWidth, 0);

        // one bit per lane: is the lane nonzero?
        List<Expr> nonzero = new ArrayList<>();
        for (int i = 0; i < laneCount; i++) {
            nonzero.add(lanes.slice((i + 1) * laneWidth - 1, i * laneWidth).orReduce());
        }
        Expr count = Logic.adderTree(this, "pop", nonzero, false, false, null).resize(totalWidth);

        // acc + count, saturating at all ones: compute with one extra bit and clamp on carry
        Expr wide = acc.zext(totalWidth + 1).add(count.zext(totalWidth + 1));
        Expr saturated = wide.msb().select(Expr.ones(totalWidth), wide.slice(totalWidth - 1, 0));
        when(valid, () -> assign(acc, saturated));
        assign(total, acc);
    }

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "out/examples/popcount");
        ModuleDef m = new PopcountAccumulator(8, 4, 10).build();
        GeneratedRtl rtl = GeneratedRtl.generate(m, dir);
        System.out.println("wrote " + rtl.files() + ", lint warnings: " + rtl.lint().findings().size());
        System.out.print(rtl.estimate().toTable());
    }
}
