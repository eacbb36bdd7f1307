package dev.sieve.hdl.sat.model;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.sat.SatDatapath;
import java.math.BigInteger;
import java.util.List;

/**
 * Cycle model of one sparse PE, from the timing its generator documents: {@code act_out} is
 * {@code act_in} one cycle later, and {@code psum_out} after the edge of cycle t is
 * {@link SatMath#peSum} of {@code psum_in} of cycle {@code t - (D - 1)} and of the activations,
 * weights, indices and pattern of cycle {@code t - (D - 1) - X} (D = {@code SatConfig.psumLatency()},
 * X = {@code SatConfig.PRODUCT_STAGES}). A reset forgets every input: those from before it count as
 * zeros (pattern code 0, zero operands), so the PE shows 0 until new inputs have passed through.
 */
public final class SparsePeModel implements CycleModel {
    private static final int RST = 0;
    private static final int PATTERN = 1;
    private static final int ACT_IN = 2;
    private static final int W_VAL = 3;
    private static final int W_IDX = 4;
    private static final int PSUM_IN = 5;
    private static final int ACT_OUT = 6;
    private static final int PSUM_OUT = 7;

    private final SatDatapath dp;
    private final List<Port> ports;
    private long rst;
    private long pattern;
    private BigInteger actIn = BigInteger.ZERO;
    private BigInteger wVal = BigInteger.ZERO;
    private BigInteger wIdx = BigInteger.ZERO;
    private int psumIn;
    private BigInteger actQ = BigInteger.ZERO;
    private int psumQ;
    /** Per cycle, newest last: the product inputs (X + D - 1 cycles of them) and psum_in (D of them). */
    private final java.util.ArrayDeque<Object[]> operands = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<Integer> psums = new java.util.ArrayDeque<>();
    private final int psumLatency;
    private final int productLag;

    public SparsePeModel(SatConfig cfg) {
        this(SatDatapath.of(cfg));
    }

    public SparsePeModel(SatDatapath dp) {
        this.dp = dp;
        this.psumLatency = dp.config().psumLatency();
        this.productLag = psumLatency - 1 + SatConfig.PRODUCT_STAGES;
        int vw = dp.valueWidth();
        this.ports = List.of(Port.input("rst", 1), Port.input("pattern", dp.patternWidth()),
                Port.input("act_in", dp.lanes() * vw), Port.input("w_val", dp.multipliers() * vw),
                Port.input("w_idx", dp.multipliers() * dp.indexWidth()), Port.input("psum_in", 32),
                Port.output("act_out", dp.lanes() * vw), Port.output("psum_out", 32));
        reset();
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        actQ = BigInteger.ZERO;
        psumQ = 0;
        operands.clear();
        psums.clear();
        Object[] zero = {0L, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO};
        for (int i = 0; i < productLag; i++) {
            operands.addLast(zero);
        }
        for (int i = 0; i < psumLatency - 1; i++) {
            psums.addLast(0);
        }
    }

    @Override
    public void setInput(int port, long value) {
        setInput(port, BigInteger.valueOf(value).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)));
    }

    @Override
    public void setInput(int port, BigInteger value) {
        switch (port) {
            case RST -> rst = value.longValue();
            case PATTERN -> pattern = value.longValue();
            case ACT_IN -> actIn = value;
            case W_VAL -> wVal = value;
            case W_IDX -> wIdx = value;
            case PSUM_IN -> psumIn = value.intValue();
            default -> throw new IllegalArgumentException("port " + port + " is not an input");
        }
    }

    @Override
    public void tick() {
        if (rst != 0) {
            reset();
            return;
        }
        operands.addLast(new Object[] {pattern, actIn, wVal, wIdx});
        psums.addLast(psumIn);
        Object[] o = operands.removeFirst();
        int psum = psums.removeFirst();
        NmPattern p = SatMath.pattern(dp.patterns(), (Long) o[0]);
        int vw = dp.valueWidth();
        psumQ = SatMath.peSum(dp, p, SatMath.lanes((BigInteger) o[1], dp.lanes(), vw),
                SatMath.lanes((BigInteger) o[2], dp.multipliers(), vw),
                SatMath.lanes((BigInteger) o[3], dp.multipliers(), dp.indexWidth()), psum);
        actQ = actIn;
    }

    @Override
    public long output(int port) {
        return outputWide(port).longValue();
    }

    @Override
    public BigInteger outputWide(int port) {
        return switch (port) {
            case ACT_OUT -> actQ;
            case PSUM_OUT -> BigInteger.valueOf(psumQ & 0xFFFF_FFFFL);
            default -> throw new IllegalArgumentException("port " + port + " is not an output");
        };
    }
}
