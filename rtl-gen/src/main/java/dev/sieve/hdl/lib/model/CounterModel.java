package dev.sieve.hdl.lib.model;

import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.lib.Counter;
import java.util.List;

/** Golden model of {@link Counter}. */
public final class CounterModel implements CycleModel {
    private static final int RST = 0, ENABLE = 1, CLEAR = 2, VALUE = 3, WRAP = 4;
    private final long modulus;
    private final List<Port> ports;
    private final long[] in = new long[3];
    private long count;

    public CounterModel(Counter.Config cfg) {
        modulus = cfg.modulus();
        ports = List.of(Port.input("rst", 1), Port.input("enable", 1), Port.input("clear", 1),
                Port.output("value", cfg.width()), Port.output("wrap", 1));
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        count = 0;
    }

    @Override
    public void setInput(int port, long value) {
        in[port] = value;
    }

    @Override
    public void tick() {
        if (in[RST] != 0 || in[CLEAR] != 0) {
            count = 0;
        } else if (in[ENABLE] != 0) {
            count = count + 1 == modulus ? 0 : count + 1;
        }
    }

    @Override
    public long output(int port) {
        if (port == VALUE) {
            return count;
        }
        if (port == WRAP) {
            return count == modulus - 1 && in[ENABLE] != 0 ? 1 : 0;
        }
        throw new IllegalArgumentException("not an output: " + port);
    }
}
