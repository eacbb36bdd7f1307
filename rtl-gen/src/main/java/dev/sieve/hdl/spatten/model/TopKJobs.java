package dev.sieve.hdl.spatten.model;

import dev.sieve.arch.spatten.SpAttenConfig.TopK;
import dev.sieve.hdl.spatten.TopKEngine;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * An open-loop stimulus for {@link TopKEngine}: a sequence of selections (values, k), each loaded
 * row by row, started, and given exactly the cycles {@link TopKEngineModel#select} predicts plus
 * one idle cycle. Every input is a pure function of the cycle, as lockstep runs require.
 */
public final class TopKJobs {

    /** One selection: {@code values} (unsigned, fit in the engine's width) and {@code k}; {@code n = values.length}. */
    public record Job(int[] values, int k) {
    }

    /** Where job {@code i} starts and when its {@code done} is due. */
    public record Slot(Job job, long startCycle, long doneCycle, TopKEngineModel.Selection expected) {
    }

    private final TopK cfg;
    private final List<Slot> slots = new ArrayList<>();
    private final List<long[]> control = new ArrayList<>(); // per cycle: load_valid, start, n, k
    private final List<BigInteger> data = new ArrayList<>();
    private int lfsr = TopKEngine.LFSR_SEED;

    public TopKJobs(TopK cfg) {
        this.cfg = cfg;
    }

    /** Appends {@code job}; invalid k (0 or above n) is allowed and expects an immediate {@code err}. */
    public TopKJobs add(Job job) {
        int p = cfg.comparators();
        int n = job.values().length;
        for (int r = 0; r < (n + p - 1) / p; r++) {
            BigInteger word = BigInteger.ZERO;
            for (int l = p - 1; l >= 0; l--) {
                int i = r * p + l;
                word = word.shiftLeft(cfg.width()).or(BigInteger.valueOf(i < n ? job.values()[i] : 0));
            }
            control.add(new long[] {1, 0, 0, 0});
            data.add(word);
        }
        long start = control.size();
        control.add(new long[] {0, 1, n, job.k()});
        data.add(BigInteger.ZERO);
        boolean bad = n == 0 || n > cfg.maxN() || job.k() < 1 || job.k() > n;
        TopKEngineModel.Selection sel = bad ? null : TopKEngineModel.select(job.values(), job.k(), cfg, lfsr);
        long total = bad ? 1 : sel.totalCycles();
        if (!bad) {
            lfsr = sel.nextLfsr();
        }
        for (long c = 1; c < total + 2; c++) {
            control.add(new long[] {0, 0, 0, 0});
            data.add(BigInteger.ZERO);
        }
        slots.add(new Slot(job, start, start + total - 1, sel));
        return this;
    }

    public List<Slot> slots() {
        return slots;
    }

    /** Cycles the whole sequence takes. */
    public long cycles() {
        return control.size();
    }

    public long loadValid(long c) {
        return at(c)[0];
    }

    public long start(long c) {
        return at(c)[1];
    }

    public long n(long c) {
        return at(c)[2];
    }

    public long k(long c) {
        return at(c)[3];
    }

    public BigInteger loadData(long c) {
        return c < data.size() ? data.get((int) c) : BigInteger.ZERO;
    }

    private long[] at(long c) {
        return c < control.size() ? control.get((int) c) : new long[4];
    }
}
