package dev.sieve.cosim;

import java.util.List;

/**
 * Java golden model of {@code mac8.v}, the harness's reference block: {@code acc <= rst ? 0 :
 * en ? acc + a*b : acc} on each rising edge (24 bits, wrapping), and {@code sum = a + b} (9 bits,
 * combinational).
 */
public final class Mac8Model implements CycleModel {
    public static final int RST = 0;
    public static final int EN = 1;
    public static final int A = 2;
    public static final int B = 3;
    public static final int ACC = 4;
    public static final int SUM = 5;

    private static final List<Port> PORTS = List.of(Port.input("rst", 1), Port.input("en", 1),
            Port.input("a", 8), Port.input("b", 8), Port.output("acc", 24), Port.output("sum", 9));

    private final long[] in = new long[4];
    private long acc;

    @Override
    public List<Port> ports() {
        return PORTS;
    }

    @Override
    public void reset() {
        acc = 0;
    }

    @Override
    public void setInput(int port, long value) {
        in[port] = value;
    }

    @Override
    public void tick() {
        if (in[RST] != 0) {
            acc = 0;
        } else if (in[EN] != 0) {
            acc = (acc + in[A] * in[B]) & 0xFF_FFFFL;
        }
    }

    @Override
    public long output(int port) {
        return switch (port) {
            case ACC -> acc;
            case SUM -> in[A] + in[B];
            default -> throw new IllegalArgumentException("port " + port + " is not an output of mac8");
        };
    }
}
