package dev.sieve.hdl.lib.model;

import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.lib.DelayLine;
import java.util.List;

/** Golden model of {@link DelayLine} (widths up to 64 bits): after the edge of cycle k, out = in(k - stages + 1). */
public final class DelayLineModel implements CycleModel {
    private final List<Port> ports;
    private final long[] stages;
    private long rst;
    private long value;
    private int ticks;

    public DelayLineModel(DelayLine.Config cfg) {
        if (cfg.width() > 64) {
            throw new IllegalArgumentException("DelayLineModel handles widths up to 64, got " + cfg.width());
        }
        ports = List.of(Port.input("rst", 1), Port.input("in", cfg.width()), Port.output("out", cfg.width()));
        stages = new long[cfg.stages()];
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(stages, 0);
        ticks = 0;
    }

    @Override
    public void setInput(int port, long v) {
        if (port == 0) {
            rst = v;
        } else {
            value = v;
        }
    }

    @Override
    public void tick() {
        if (rst != 0) {
            reset();
            return;
        }
        stages[ticks % stages.length] = value;
        ticks++;
    }

    @Override
    public long output(int port) {
        return stages[Math.floorMod(ticks - stages.length, stages.length)];
    }
}
