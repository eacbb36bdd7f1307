package dev.sieve.hdl.sat.model;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.sat.SatDatapath;
import java.math.BigInteger;
import java.util.List;

/**
 * Cycle model of one sparse PE: on each clock edge {@code psum_out <= psum_in + products} and
 * {@code act_out <= act_in}; reset clears both.
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

    public SparsePeModel(SatConfig cfg) {
        this(SatDatapath.of(cfg));
    }

    public SparsePeModel(SatDatapath dp) {
        this.dp = dp;
        int vw = dp.valueWidth();
        this.ports = List.of(Port.input("rst", 1), Port.input("pattern", dp.patternWidth()),
                Port.input("act_in", dp.lanes() * vw), Port.input("w_val", dp.multipliers() * vw),
                Port.input("w_idx", dp.multipliers() * dp.indexWidth()), Port.input("psum_in", 32),
                Port.output("act_out", dp.lanes() * vw), Port.output("psum_out", 32));
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        actQ = BigInteger.ZERO;
        psumQ = 0;
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
        NmPattern p = SatMath.pattern(dp.patterns(), pattern);
        int vw = dp.valueWidth();
        psumQ = SatMath.peSum(dp, p, SatMath.lanes(actIn, dp.lanes(), vw), SatMath.lanes(wVal, dp.multipliers(), vw),
                SatMath.lanes(wIdx, dp.multipliers(), dp.indexWidth()), psumIn);
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
