package dev.sieve.sim.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.piuma.InnerWork;
import dev.sieve.dataflow.sparse.Csr;

/**
 * A lower bound of the cycles {@link PiumaModel} takes for the inner product, computed from its
 * exact load counts ({@link InnerWork}) without simulating: what a sampled inner baseline can be
 * checked against, and a speedup over it that holds whatever sampling misses.
 *
 * <p>Two limits of the model, each exact for what it counts (stores, one slot or more each, only
 * add to both): a pipeline issues one slot per cycle and an operation holds it for its ALU cycles
 * plus one, so a pipeline needs at least the slots of its threads' loads; and a thread waits for
 * each load, which leaves the pipeline in the operation's last slot and returns no sooner than the
 * cache (or DRAM) latency, so a thread needs at least, per load, its ALU cycles plus that latency.
 * Per dot product the inner product's loads carry {@code loads - 1} ALU cycles (the first load of
 * A's entry has none; a matched pair of loads has 0 and 2), per row the row pointer's load one.
 */
public final class InnerBound {
    private InnerBound() {
    }

    /** The larger of the issue bound of the busiest pipeline and the load chain of the longest thread. */
    public static long cycles(Csr a, Csr b, PiumaConfig cfg) {
        return cycles(InnerWork.of(a, b), cfg);
    }

    static long cycles(InnerWork w, PiumaConfig cfg) {
        int threads = cfg.threads();
        int tpc = cfg.threadsPerCore();
        int tpm = cfg.threadsPerMtPipeline();
        int mt = cfg.mtPipelinesPerCore();
        int ppc = cfg.pipelinesPerCore();
        long latency = cfg.cacheBytesPerCore() > 0 ? Math.min(cfg.cacheLatencyCycles(), cfg.dramLatencyCycles())
                : cfg.dramLatencyCycles();
        long[] slots = new long[cfg.cores() * ppc];
        long[] chain = new long[threads];
        for (int i = 0; i < w.rows(); i++) {
            int t = i % threads;
            long alu = w.loads(i) - w.pairs(i); // the row pointer's 1, each dot product's loads - 1
            chain[t] += alu + latency * w.loads(i);
            int local = t % tpc;
            int p = t / tpc * ppc + (local < mt * tpm ? local / tpm : mt + (local - mt * tpm));
            slots[p] += alu + w.loads(i);
        }
        long bound = 0;
        for (long s : slots) {
            bound = Math.max(bound, s);
        }
        for (long c : chain) {
            bound = Math.max(bound, c);
        }
        return bound;
    }
}
