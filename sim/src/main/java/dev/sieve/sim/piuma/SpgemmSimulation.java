package dev.sieve.sim.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.piuma.Algorithm;
import dev.sieve.dataflow.piuma.SpgemmRun;
import dev.sieve.dataflow.sparse.Csr;

/**
 * One algorithm simulated on one machine for {@code A x B}, sampled when it would issue more than
 * a budget of operations: the inner product keeps all rows of A and a deterministic fraction of
 * B's columns, the others a fraction of A's rows. A sampled run reports the simulated cycles
 * scaled by {@code estimateOps(full) / estimateOps(sample)} (the machine is throughput-bound at
 * these sizes, so time follows work); its product is not available.
 */
public final class SpgemmSimulation {
    private SpgemmSimulation() {
    }

    /**
     * The outcome of one simulation.
     *
     * @param sampledFraction fraction of rows (or columns) simulated; 1 when the whole product ran
     * @param scale           factor from simulated to reported cycles (1 when not sampled)
     * @param nnzC            entries of C, or -1 when sampled
     * @param product         the product when kept and not sampled, else null
     */
    public record Result(Algorithm algorithm, PiumaStats stats, double sampledFraction, double scale, long flops,
                         long nnzC, long hashProbes, long hashCollisions, long partialProducts, long tokens,
                         long spadPeakBytes, double wallSeconds, Csr product) {

        /** Cycles for the whole product: simulated cycles times the sampling scale. */
        public long cycles() {
            return Math.round(stats.cycles() * scale);
        }

        public boolean sampled() {
            return sampledFraction < 1.0;
        }

        /** Simulated operations per second of wall time. */
        public double opsPerWallSecond() {
            return stats.ops() / Math.max(wallSeconds, 1e-9);
        }
    }

    /**
     * Simulates {@code alg} for {@code a x b}. {@code maxOps <= 0} never samples; {@code keepProduct}
     * keeps C (only possible without sampling).
     */
    public static Result run(Algorithm alg, Csr a, Csr b, PiumaConfig cfg, double maxOps, boolean keepProduct) {
        return run(alg, a, b, cfg, maxOps, keepProduct, 1);
    }

    /**
     * As {@link #run(Algorithm, Csr, Csr, PiumaConfig, double, boolean)}, a core-local algorithm
     * simulated on up to {@code hostThreads} host threads (the result does not depend on it).
     */
    public static Result run(Algorithm alg, Csr a, Csr b, PiumaConfig cfg, double maxOps, boolean keepProduct,
                             int hostThreads) {
        return run(alg, a, b, cfg, maxOps, keepProduct, hostThreads, null);
    }

    /**
     * As {@link #run(Algorithm, Csr, Csr, PiumaConfig, double, boolean, int)}, adding the operations
     * simulated to {@code progress} as they issue (null: not counted).
     */
    public static Result run(Algorithm alg, Csr a, Csr b, PiumaConfig cfg, double maxOps, boolean keepProduct,
                             int hostThreads, java.util.concurrent.atomic.AtomicLong progress) {
        long start = System.nanoTime();
        double est = alg.estimateOps(a, b);
        double fraction = 1.0;
        double scale = 1.0;
        Csr sa = a;
        Csr sb = b;
        if (maxOps > 0 && est > maxOps) {
            fraction = maxOps / est;
            double f = fraction;
            if (alg.samplesColumnsOfB()) {
                sb = b.transpose().keepRows(j -> keep(j, f)).transpose();
            } else {
                sa = a.keepRows(i -> keep(i, f));
            }
            double sampledEst = alg.estimateOps(sa, sb);
            scale = sampledEst > 0 ? est / sampledEst : 1.0;
        }
        boolean sampled = fraction < 1.0;
        SpgemmRun run = alg.start(sa, sb, cfg, keepProduct && !sampled);
        PiumaStats stats = new PiumaModel(cfg, progress).run(run, hostThreads);
        long flops = sampled ? alg.start(a, b, cfg, false).flops() : run.flops();
        double wall = (System.nanoTime() - start) / 1e9;
        return new Result(alg, stats, fraction, scale, flops, sampled ? -1 : run.productNnz(), run.hashProbes(),
                run.hashCollisions(), run.partialProducts(), run.tokens(), run.spadPeakBytes(), wall,
                keepProduct && !sampled ? run.product() : null);
    }

    /**
     * The operations a run of {@code alg} is expected to simulate: its estimate, or the budget when
     * it will be sampled (for a progress display; not exact).
     */
    public static double expectedOps(Algorithm alg, Csr a, Csr b, double maxOps) {
        double est = alg.estimateOps(a, b);
        return maxOps > 0 && est > maxOps ? maxOps : est;
    }

    /** A deterministic, well-spread choice of a fraction {@code f} of the indices. */
    static boolean keep(int index, double f) {
        long z = (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53 < f;
    }
}
