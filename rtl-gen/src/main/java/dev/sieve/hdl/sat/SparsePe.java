package dev.sieve.hdl.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * The common sparse PE of the SAT array: L multipliers, each fed through an activation
 * multiplexer, accumulating onto the partial sum from the PE above.
 *
 * <p>In dense mode multiplier j takes activation lane j. In N:M mode the PE holds L/N groups of N
 * (value, index) pairs; multiplier j belongs to group g = j / N and takes lane g*M + index_j
 * through an M-to-1 multiplexer. The {@code pattern} port picks the mode at run time (code i is
 * {@code SatDatapath.patterns().get(i)}, codes beyond the list mean code 0).
 *
 * <p>Accumulation: INT8 x INT8 products, sign-extended, added to the INT32 {@code psum_in} with
 * wrap-around; BF16: {@code ((psum_in + p0) + p1) + ...} with {@link Fp32Adder}s in that order.
 * Registers: {@code psum_out <= sum} and {@code act_out <= act_in} (passing activations right),
 * both reset to zero.
 *
 * <p>Ports: {@code act_in} (lanes x value bits), {@code w_val} (L values), {@code w_idx}
 * (L indices of {@link SatDatapath#indexWidth()} bits; only the low log2(M) bits are used),
 * {@code psum_in} (32), {@code pattern}; outputs {@code act_out}, {@code psum_out}.
 */
public final class SparsePe extends Component {
    public final Signal pattern;
    public final Signal actIn;
    public final Signal wVal;
    public final Signal wIdx;
    public final Signal psumIn;
    public final Signal actOut;
    public final Signal psumOut;

    /** The activation each multiplier takes this cycle. */
    private final Signal[] selected;
    private final Signal actReg;
    private final Signal psumReg;

    public SparsePe(SatConfig cfg) {
        this(SatDatapath.of(cfg));
    }

    public SparsePe(SatDatapath dp) {
        super("sat_pe_" + dp.tag());
        int vw = dp.valueWidth();
        int l = dp.multipliers();
        int lanes = dp.lanes();
        pattern = input("pattern", dp.patternWidth());
        actIn = input("act_in", lanes * vw);
        wVal = input("w_val", l * vw);
        wIdx = input("w_idx", l * dp.indexWidth());
        psumIn = input("psum_in", SatDatapath.ACC_WIDTH);
        actOut = output("act_out", lanes * vw);
        psumOut = output("psum_out", SatDatapath.ACC_WIDTH);

        // ---- activation multiplexers
        selected = new Signal[l];
        for (int j = 0; j < l; j++) {
            Expr index = SatBus.lane(wIdx, j, dp.indexWidth());
            List<Expr> perPattern = new ArrayList<>();
            for (NmPattern p : dp.patterns()) {
                if (p.isDense()) {
                    perPattern.add(SatBus.lane(actIn, j, vw));
                } else {
                    int base = (j / p.n()) * p.m();
                    List<Expr> group = new ArrayList<>();
                    for (int t = 0; t < p.m(); t++) {
                        group.add(SatBus.lane(actIn, base + t, vw));
                    }
                    perPattern.add(SatBus.muxTree(index.slice(p.indexBits() - 1, 0), group));
                }
            }
            selected[j] = named("selected_" + j, SatBus.byCode(pattern, perPattern));
        }

        // ---- multiply and accumulate in order: psum_in, then lane 0, 1, ...
        Expr acc = switch (dp.format()) {
            case INT8_INT32 -> int8Sum(l, vw);
            case BF16_FP32 -> bf16Sum(l, vw);
        };

        actReg = reg("act_q", lanes * vw, 0);
        psumReg = reg("psum_q", SatDatapath.ACC_WIDTH, 0);
        assign(actReg, actIn);
        assign(psumReg, acc);
        assign(actOut, actReg);
        assign(psumOut, psumReg);
    }

    /** INT8: {@code psum_in + w_0 * a_0 + w_1 * a_1 + ...} in 32-bit two's complement. */
    private Expr int8Sum(int l, int vw) {
        Expr acc = psumIn;
        for (int j = 0; j < l; j++) {
            Expr product = SatBus.lane(wVal, j, vw).mulS(selected[j]).sext(SatDatapath.ACC_WIDTH);
            acc = acc.add(product);
        }
        return acc;
    }

    /** BF16: {@code ((psum_in + p_0) + p_1) + ...}, each product and sum an FP32 unit instance. */
    private Expr bf16Sum(int l, int vw) {
        Bf16Multiplier mul = new Bf16Multiplier();
        Fp32Adder add = new Fp32Adder();
        Expr acc = psumIn;
        for (int j = 0; j < l; j++) {
            Signal product = wire("product_" + j, 32);
            Signal partial = wire("partial_" + j, 32);
            instance("mul_" + j, mul).connect(mul.a, SatBus.lane(wVal, j, vw)).connect(mul.b, selected[j])
                    .connect(mul.product, product);
            instance("add_" + j, add).connect(add.a, acc).connect(add.b, product).connect(add.sum, partial);
            acc = partial;
        }
        return acc;
    }
}
