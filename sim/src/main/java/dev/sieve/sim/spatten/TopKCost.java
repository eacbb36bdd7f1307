package dev.sieve.sim.spatten;

import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.hdl.spatten.TopKEngine;
import dev.sieve.hdl.spatten.model.TopKEngineModel;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Cycles of one top-k selection. With the engine, the mean over {@value #SAMPLES} runs of the
 * engine's own algorithm ({@link TopKEngineModel#select}, the model the RTL is checked against) on
 * random 12-bit scores, LFSR chained, per (n, k), so each selection costs what the engine's own
 * cycle rule ({@link SpAttenConfig.TopK#roundCycles}, {@link SpAttenConfig.TopK#outputCycles}) gives;
 * without it, a P-comparator merge sort of the n scores, {@code ceil(n * ceil(log2 n) / P)} cycles,
 * which is what a datapath without a selection unit does.
 */
public final class TopKCost {
    static final int SAMPLES = 16;
    private final SpAttenConfig.TopK engine;
    private final Map<Long, Double> cache = new HashMap<>();

    /** The costs of {@code engine}; selections of any n are asked of it (its maxN bounds the RTL's buffers, not the cost). */
    public TopKCost(SpAttenConfig.TopK engine) {
        this.engine = engine;
    }

    /**
     * The costs of {@code hw}'s top-k engine. The model runs selections of any size on it, so the
     * view is taken at the largest size the engine is built for; a round's cost depends on P only.
     */
    public static TopKCost of(SpAttenConfig hw) {
        return new TopKCost(hw.topk(SpAttenConfig.TopK.MAX_N));
    }

    /** Mean engine cycles (quick-select rounds plus the output pass) to keep k of n. */
    public double engineCycles(int n, int k) {
        if (k >= n) {
            return 0;
        }
        return cache.computeIfAbsent(((long) n << 32) | k, key -> {
            SplittableRandom r = new SplittableRandom(key);
            int lfsr = TopKEngine.LFSR_SEED;
            long sum = 0;
            int[] v = new int[n];
            for (int s = 0; s < SAMPLES; s++) {
                for (int i = 0; i < n; i++) {
                    v[i] = r.nextInt(4096);
                }
                TopKEngineModel.Selection sel = TopKEngineModel.select(v, k, engine, lfsr);
                lfsr = sel.nextLfsr();
                sum += sel.totalCycles();
            }
            return (double) sum / SAMPLES;
        });
    }

    /** Cycles of a P-wide merge sort of n scores (the baseline without the engine). */
    public double sortCycles(int n, int k) {
        if (k >= n) {
            return 0;
        }
        int levels = 64 - Long.numberOfLeadingZeros(n - 1L);
        return Math.ceil((double) n * levels / engine.comparators());
    }
}
