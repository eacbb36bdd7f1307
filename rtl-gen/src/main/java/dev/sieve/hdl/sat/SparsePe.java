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
 * multiplexer, accumulating onto the partial sum from the PE above, pipelined as
 * {@link SatConfig}'s class comment says ({@code PRODUCT_STAGES} product registers, a partial sum
 * {@link SatConfig#psumLatency} cycles in the PE).
 *
 * <p>In dense mode multiplier j takes activation lane j. In N:M mode the PE holds L/N groups of N
 * (value, index) pairs; multiplier j belongs to group g = j / N and takes lane g*M + index_j
 * through an M-to-1 multiplexer. The {@code pattern} port picks the mode at run time (code i is
 * {@code SatDatapath.patterns().get(i)}, codes beyond the list mean code 0).
 *
 * <p>Timing: {@code act_out} is {@code act_in} one cycle later. {@code psum_out} after the clock
 * edge of cycle t is the sum of {@code psum_in} of cycle {@code t - (D - 1)} and the products of
 * {@code act_in}, {@code w_val}, {@code w_idx} and {@code pattern} of cycle {@code t - (D - 1) - X}
 * (D = psumLatency, X = PRODUCT_STAGES); inputs from before a reset count as zeros, so after a reset
 * {@code psum_out} is 0 (INT8) or +0 (BF16) until new inputs arrive.
 *
 * <p>Accumulation: INT8: the L products (registered, a DSP's product register), their sum in 32-bit
 * two's complement (registered), then {@code psum_out <= psum_in + sum} with wrap-around. BF16:
 * {@code ((psum_in + p0) + p1) + ...}, each product from a {@link Bf16Multiplier}, product j delayed
 * {@code j x fpAddStages} cycles to meet the running sum at the j-th {@link Fp32Adder}.
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

    public SparsePe(SatConfig cfg) {
        this(SatDatapath.of(cfg));
    }

    public SparsePe(SatDatapath dp) {
        super("sat_pe_" + dp.tag() + "_p" + dp.config().psumLatency());
        if (Bf16Multiplier.LATENCY != SatConfig.PRODUCT_STAGES) {
            throw new IllegalStateException("the BF16 multiplier's latency must be SatConfig.PRODUCT_STAGES");
        }
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
            case BF16_FP32 -> bf16Sum(l, vw, dp.config().fpAddStages());
        };

        actReg = reg("act_q", lanes * vw, 0);
        assign(actReg, actIn);
        assign(actOut, actReg);
        assign(psumOut, acc);
    }

    /**
     * INT8: products registered, their sum registered, then {@code psum_q <= psum_in + sum} in 32-bit
     * two's complement (addition modulo 2^32 is associative, so the order is immaterial).
     */
    private Expr int8Sum(int l, int vw) {
        Expr sum = null;
        for (int j = 0; j < l; j++) {
            Signal product = reg("product_" + j, 2 * vw, 0);
            assign(product, SatBus.lane(wVal, j, vw).mulS(selected[j]));
            Expr term = product.sext(SatDatapath.ACC_WIDTH);
            sum = sum == null ? term : sum.add(term);
        }
        Signal productSum = reg("product_sum", SatDatapath.ACC_WIDTH, 0);
        assign(productSum, sum);
        Signal psumQ = reg("psum_q", SatDatapath.ACC_WIDTH, 0);
        assign(psumQ, psumIn.add(productSum));
        return psumQ;
    }

    /** BF16: {@code ((psum_in + p_0) + p_1) + ...}, product j delayed j x stages to meet the running sum. */
    private Expr bf16Sum(int l, int vw, int stages) {
        Bf16Multiplier mul = new Bf16Multiplier();
        Fp32Adder add = new Fp32Adder(stages);
        Expr acc = psumIn;
        for (int j = 0; j < l; j++) {
            Signal product = wire("product_" + j, 32);
            Signal partial = wire("partial_" + j, 32);
            instance("mul_" + j, mul).connect(mul.a, SatBus.lane(wVal, j, vw)).connect(mul.b, selected[j])
                    .connect(mul.product, product);
            Expr delayed = product;
            for (int t = 0; t < j * stages; t++) {
                Signal d = reg("product_" + j + "_d" + t, 32, 0);
                assign(d, delayed);
                delayed = d;
            }
            instance("add_" + j, add).connect(add.a, acc).connect(add.b, delayed).connect(add.sum, partial);
            acc = partial;
        }
        return acc;
    }
}
