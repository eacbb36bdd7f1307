package dev.sieve.hdl.lib.model;

import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.lib.Mac;
import java.math.BigInteger;
import java.util.List;

/**
 * Golden model of {@link Mac}: {@code acc <= (clear ? 0 : acc) + a*b} on valid, {@code acc <= 0}
 * on clear alone, wrapping modulo 2^accWidth; operands are two's complement when signed. Uses
 * {@code long} arithmetic up to 64-bit accumulators and BigInteger above.
 */
public final class MacModel implements CycleModel {
    private static final int RST = 0, A = 1, B = 2, VALID = 3, CLEAR = 4, ACC = 5;
    private final Mac.Config cfg;
    private final List<Port> ports;
    private final long[] in = new long[5];
    private final boolean wide;
    private final BigInteger modulus;
    private long acc;
    private BigInteger accWide = BigInteger.ZERO;

    public MacModel(Mac.Config cfg) {
        this.cfg = cfg;
        ports = List.of(Port.input("rst", 1), Port.input("a", cfg.aWidth()), Port.input("b", cfg.bWidth()),
                Port.input("valid", 1), Port.input("clear", 1), Port.output("acc", cfg.accWidth()));
        wide = cfg.accWidth() > 64;
        modulus = BigInteger.ONE.shiftLeft(cfg.accWidth());
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        acc = 0;
        accWide = BigInteger.ZERO;
    }

    @Override
    public void setInput(int port, long value) {
        in[port] = value;
    }

    private long operand(int port, int width) {
        long v = in[port];
        if (cfg.signed()) {
            int shift = 64 - width;
            return (v << shift) >> shift;
        }
        return v;
    }

    @Override
    public void tick() {
        boolean clear = in[CLEAR] != 0;
        if (in[RST] != 0) {
            acc = 0;
            accWide = BigInteger.ZERO;
        } else if (in[VALID] != 0) {
            long product = operand(A, cfg.aWidth()) * operand(B, cfg.bWidth());
            if (wide) {
                accWide = (clear ? BigInteger.ZERO : accWide).add(BigInteger.valueOf(product)).mod(modulus);
            } else {
                acc = (clear ? 0 : acc) + product;
            }
        } else if (clear) {
            acc = 0;
            accWide = BigInteger.ZERO;
        }
    }

    @Override
    public long output(int port) {
        if (port != ACC) {
            throw new IllegalArgumentException("not an output: " + port);
        }
        return wide ? accWide.longValue() : acc; // the checker keeps the low accWidth bits
    }

    @Override
    public BigInteger outputWide(int port) {
        return wide ? accWide : CycleModel.unsigned(output(port));
    }
}
