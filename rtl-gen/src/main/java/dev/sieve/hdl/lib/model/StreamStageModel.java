package dev.sieve.hdl.lib.model;

import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.lib.StreamStage;
import java.math.BigInteger;
import java.util.List;

/**
 * Golden model of {@link StreamStage}: one slot; it accepts when empty or when its content leaves
 * this cycle. The data register has no reset: it loads on any accepted valid input, even in reset.
 */
public final class StreamStageModel implements CycleModel {
    private static final int RST = 0, IN_VALID = 1, IN_PAYLOAD = 2, OUT_READY = 3;
    private static final int IN_READY = 4, OUT_VALID = 5, OUT_PAYLOAD = 6;
    private final List<Port> ports;
    private final long[] in = new long[4];
    private BigInteger inPayload = BigInteger.ZERO;
    private boolean full;
    private BigInteger data = BigInteger.ZERO;

    public StreamStageModel(StreamStage.Config cfg) {
        ports = List.of(Port.input("rst", 1), Port.input("in_valid", 1), Port.input("in_payload", cfg.width()),
                Port.input("out_ready", 1), Port.output("in_ready", 1), Port.output("out_valid", 1),
                Port.output("out_payload", cfg.width()));
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        full = false;
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

    private boolean accepting() {
        return !full || in[OUT_READY] != 0;
    }

    @Override
    public void tick() {
        boolean accept = accepting();
        boolean valid = in[IN_VALID] != 0;
        if (accept && valid) {
            data = inPayload;
        }
        if (in[RST] != 0) {
            full = false;
        } else if (accept) {
            full = valid;
        }
    }

    @Override
    public long output(int port) {
        return switch (port) {
            case IN_READY -> accepting() ? 1 : 0;
            case OUT_VALID -> full ? 1 : 0;
            case OUT_PAYLOAD -> data.longValue();
            default -> throw new IllegalArgumentException("not an output: " + port);
        };
    }

    @Override
    public BigInteger outputWide(int port) {
        return port == OUT_PAYLOAD ? data : BigInteger.valueOf(output(port));
    }
}
