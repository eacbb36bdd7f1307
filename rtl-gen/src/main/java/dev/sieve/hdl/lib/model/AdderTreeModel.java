package dev.sieve.hdl.lib.model;

import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.lib.AdderTree;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden model of {@link AdderTree}: the exact sum of the inputs (two's complement when signed).
 * Combinational, or with ceil(log2 n) register levels: after the edge of cycle k the output shows
 * the sum of the inputs of cycle k - (levels - 1); registers start at zero.
 */
public final class AdderTreeModel implements CycleModel {
    private final AdderTree.Config cfg;
    private final List<Port> ports;
    private final long[] in;
    private final long[] history;
    private final int levels;
    private int ticks;

    public AdderTreeModel(AdderTree.Config cfg) {
        this.cfg = cfg;
        List<Port> ps = new ArrayList<>();
        ps.add(Port.input("rst", 1));
        for (int i = 0; i < cfg.count(); i++) {
            ps.add(Port.input("in_" + i, cfg.width()));
        }
        ps.add(Port.output("sum", cfg.sumWidth()));
        if (!cfg.pipelined()) {
            ps.remove(0); // a combinational tree has no clock and no reset
        }
        ports = List.copyOf(ps);
        in = new long[ports.size()];
        levels = cfg.pipelined() ? 64 - Long.numberOfLeadingZeros(cfg.count() - 1) : 0;
        history = new long[Math.max(1, levels)];
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(history, 0);
        ticks = 0;
    }

    @Override
    public void setInput(int port, long value) {
        in[port] = value;
    }

    private long currentSum() {
        int first = cfg.pipelined() ? 1 : 0;
        long sum = 0;
        for (int i = 0; i < cfg.count(); i++) {
            long v = in[first + i];
            if (cfg.signed()) {
                int shift = 64 - cfg.width();
                v = (v << shift) >> shift;
            }
            sum += v;
        }
        return sum;
    }

    @Override
    public void tick() {
        if (!cfg.pipelined()) {
            return;
        }
        if (in[0] != 0) {
            reset();
            return;
        }
        history[ticks % levels] = currentSum();
        ticks++;
    }

    @Override
    public long output(int port) {
        if (!cfg.pipelined()) {
            return currentSum();
        }
        // the entry written levels-1 ticks ago: index (ticks - levels) mod levels
        return history[Math.floorMod(ticks - levels, levels)];
    }
}
