package dev.sieve.cosim;

import java.math.BigInteger;
import java.util.List;

/**
 * A {@link CycleModel} that forwards every call to another model. Subclass it to wrap a golden
 * model, for example to inject a fault and check that {@link Lockstep} catches it.
 */
public class ForwardingCycleModel implements CycleModel {
    protected final CycleModel inner;

    public ForwardingCycleModel(CycleModel inner) {
        this.inner = inner;
    }

    @Override
    public List<Port> ports() {
        return inner.ports();
    }

    @Override
    public void reset() {
        inner.reset();
    }

    @Override
    public void setInput(int port, long value) {
        inner.setInput(port, value);
    }

    @Override
    public void setInput(int port, BigInteger value) {
        inner.setInput(port, value);
    }

    @Override
    public void tick() {
        inner.tick();
    }

    @Override
    public long output(int port) {
        return inner.output(port);
    }

    @Override
    public BigInteger outputWide(int port) {
        return inner.outputWide(port);
    }
}
