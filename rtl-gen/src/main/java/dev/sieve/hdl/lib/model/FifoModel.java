package dev.sieve.hdl.lib.model;

import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.lib.Fifo;
import java.math.BigInteger;
import java.util.List;

/**
 * Golden model of {@link Fifo}: a ring of {@code depth} slots (zero at power-up), a push when
 * {@code in_valid} and not full, a pop when {@code out_valid} and {@code out_ready}; the head slot
 * is visible on {@code out_payload} even when empty (it then shows the last word popped).
 */
public final class FifoModel implements CycleModel {
    private static final int RST = 0, IN_VALID = 1, IN_PAYLOAD = 2, OUT_READY = 3;
    private static final int IN_READY = 4, OUT_VALID = 5, OUT_PAYLOAD = 6, COUNT = 7;
    private final int depth;
    private final List<Port> ports;
    private final BigInteger[] slots;
    private final long[] in = new long[4];
    private BigInteger inPayload = BigInteger.ZERO;
    private int head;
    private int size;

    public FifoModel(Fifo.Config cfg) {
        depth = cfg.depth();
        int countWidth = 64 - Long.numberOfLeadingZeros(depth);
        ports = List.of(Port.input("rst", 1), Port.input("in_valid", 1), Port.input("in_payload", cfg.width()),
                Port.input("out_ready", 1), Port.output("in_ready", 1), Port.output("out_valid", 1),
                Port.output("out_payload", cfg.width()), Port.output("count", countWidth));
        slots = new BigInteger[depth];
        java.util.Arrays.fill(slots, BigInteger.ZERO);
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        head = 0;
        size = 0;
    }

    @Override
    public void setInput(int port, long value) {
        in[port] = value;
        if (port == IN_PAYLOAD) {
            inPayload = CycleModel.unsigned(value);
        }
    }

    @Override
    public void setInput(int port, BigInteger value) {
        if (port == IN_PAYLOAD) {
            inPayload = value;
        } else {
            in[port] = value.longValue();
        }
    }

    @Override
    public void tick() {
        boolean push = in[IN_VALID] != 0 && size < depth;
        boolean pop = size > 0 && in[OUT_READY] != 0;
        if (push) {
            slots[(head + size) % depth] = inPayload;
        }
        if (in[RST] != 0) {
            head = 0;
            size = 0;
            return;
        }
        if (pop) {
            head = (head + 1) % depth;
            size--;
        }
        if (push) {
            size++;
        }
    }

    @Override
    public long output(int port) {
        return switch (port) {
            case IN_READY -> size < depth ? 1 : 0;
            case OUT_VALID -> size > 0 ? 1 : 0;
            case OUT_PAYLOAD -> slots[head].longValue();
            case COUNT -> size;
            default -> throw new IllegalArgumentException("not an output: " + port);
        };
    }

    @Override
    public BigInteger outputWide(int port) {
        return port == OUT_PAYLOAD ? slots[head] : BigInteger.valueOf(output(port));
    }
}
