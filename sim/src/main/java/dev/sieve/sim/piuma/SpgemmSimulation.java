package dev.sieve.sim.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.piuma.Algorithm;
import dev.sieve.dataflow.piuma.InnerWork;
import dev.sieve.dataflow.piuma.SpgemmRun;
import dev.sieve.dataflow.sparse.Csr;

/**
 * One algorithm simulated on one machine for {@code A x B}, sampled when it would issue more than
 * a budget of operations: the inner product keeps all rows of A and a deterministic fraction of
 * B's columns, the others a fraction of A's rows. A sampled run reports the simulated cycles
 * scaled by the work of the whole product over the sample's; its product is not available.
 *
 * <p><b>The inner product's bracket.</b> Thinning B's columns keeps every thread and every row
 * (so the pipelines stay as crowded as in the whole run) but shortens the distance, in cache
 * lines, between two threads' reads of the same column of B: more of B's re-reads hit, and the
 * scaled cycles come out low. The same sample on a cache scaled by the fraction of columns kept
 * (a power of two: same ways, that fraction of the sets) restores B's share of the cache but also shrinks the part that
 * held the rows of A and the column pointers, whose reuse distances the sample did not shorten:
 * it comes out high. A sampled inner baseline therefore runs both, each on half the budget, and
 * reports the midpoint of the two widened by {@link #BRACKET_MARGIN}, with half that bracket as its
 * error; the low end is raised to the exact floor ({@link InnerBound}) when that lies above it. The
 * whole run lay inside the bracket at every point measured: R-MAT 10–12 and the shared SuiteSparse
 * matrices at a quarter and an eighth of the columns (see the tests and README).
 */
public final class SpgemmSimulation {
    private SpgemmSimulation() {
    }

    /**
     * How far a sampled inner baseline's bracket is widened on each side beyond its two simulations:
     * where B fits in the cache both runs hit on B's re-reads and may both land a little above the
     * whole run (R-MAT 10: +0.36 % at a quarter of the columns, +1.85 % at an eighth with seed 4), as
     * the sample differs from the whole run only in cold misses and small terms that do not scale.
     */
    public static final double BRACKET_MARGIN = 0.03;

    /**
     * An inner product estimated at no more operations than this runs whole whatever the budget (a
     * fraction of a second): on a few dozen columns a sample leaves each thread less than a dot product
     * and its time no longer follows its work (karate at a quarter of its columns came out 45 %
     * high with both ends of its bracket equal, west0067 3.7 %).
     */
    public static final double MIN_SAMPLED_INNER_OPS = 1e6;

    /**
     * The outcome of one simulation.
     *
     * @param sampledFraction fraction of rows (or columns) simulated; 1 when the whole product ran
     * @param scale           factor from simulated to reported cycles (1 when not sampled)
     * @param nnzC            entries of C, or -1 when sampled
     * @param product         the product when kept and not sampled, else null
     * @param cyclesLow       the low end of the whole run's estimated cycles (equal to {@code cyclesHigh}
     *                        for a whole run; -1 when a sampled run has no bracket, as the outer product)
     * @param cyclesHigh      the high end
     * @param simulations     simulations of the sample's streams (2 for a bracketed sample: the same
     *                        operations on two caches, so the operations simulated are {@code simulations}
     *                        times {@code stats.ops()})
     */
    public record Result(Algorithm algorithm, PiumaStats stats, double sampledFraction, double scale, long flops,
                         long nnzC, long hashProbes, long hashCollisions, long partialProducts, long tokens,
                         long spadPeakBytes, double wallSeconds, Csr product, long cyclesLow, long cyclesHigh,
                         int simulations) {

        /** A result without a bracket: whole runs, and sampled runs of the algorithms other than inner. */
        public Result(Algorithm algorithm, PiumaStats stats, double sampledFraction, double scale, long flops,
                      long nnzC, long hashProbes, long hashCollisions, long partialProducts, long tokens,
                      long spadPeakBytes, double wallSeconds, Csr product) {
            this(algorithm, stats, sampledFraction, scale, flops, nnzC, hashProbes, hashCollisions, partialProducts,
                    tokens, spadPeakBytes, wallSeconds, product,
                    sampledFraction < 1.0 ? -1 : Math.round(stats.cycles() * scale),
                    sampledFraction < 1.0 ? -1 : Math.round(stats.cycles() * scale), 1);
        }

        /**
         * Cycles for the whole product: the simulated cycles (times the sampling scale), or for a
         * bracketed sample the bracket's midpoint.
         */
        public long cycles() {
            if (cyclesLow >= 0 && sampledFraction < 1.0) {
                return Math.round((cyclesLow + cyclesHigh) / 2.0);
            }
            return Math.round(stats.cycles() * scale);
        }

        /**
         * The estimated error of {@link #cycles()} in percent: 0 for a whole run, half the bracket
         * for a bracketed sample, NaN for a sample without one (not known).
         */
        public double errorPct() {
            if (!sampled()) {
                return 0;
            }
            if (cyclesLow < 0) {
                return Double.NaN;
            }
            return 100.0 * (cyclesHigh - cyclesLow) / 2.0 / Math.max(1, cycles());
        }

        public boolean sampled() {
            return sampledFraction < 1.0;
        }

        /** Simulated operations per second of wall time (of every simulation the result took). */
        public double opsPerWallSecond() {
            return (double) simulations * stats.ops() / Math.max(wallSeconds, 1e-9);
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
        if (alg == Algorithm.INNER && maxOps > 0 && est > maxOps) {
            if (est <= MIN_SAMPLED_INNER_OPS) {
                maxOps = 0; // small enough to run whole, and too small for a sample to scale
            } else {
                return innerBracket(a, b, cfg, maxOps, est, hostThreads, progress, start);
            }
        }
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
     * The inner product sampled as a bracket (see the class comment): one sample of B's columns,
     * a power-of-two fraction within half the budget, simulated on {@code cfg} (low) and on
     * {@code cfg} with the cache's sets scaled by the same fraction (high), both scaled by the exact loads of the whole product
     * over the sample's ({@link InnerWork}). The statistics reported are the low run's, on the
     * machine as given.
     */
    private static Result innerBracket(Csr a, Csr b, PiumaConfig cfg, double maxOps, double est, int hostThreads,
                                       java.util.concurrent.atomic.AtomicLong progress, long start) {
        // the largest power of two within half the budget, so that the cache's sets scale by it exactly
        double f = 0.5;
        while (f > 0x1.0p-40 && f * est > maxOps / 2) {
            f /= 2;
        }
        final double kept = f;
        Csr sb = b.transpose().keepRows(j -> keep(j, kept)).transpose();
        InnerWork whole = InnerWork.of(a, b);
        long sampleLoads = InnerWork.of(a, sb).totalLoads();
        double scale = sampleLoads > 0 ? (double) whole.totalLoads() / sampleLoads : 1.0;
        SpgemmRun low = Algorithm.INNER.start(a, sb, cfg, false);
        PiumaStats lowStats = new PiumaModel(cfg, progress).run(low, hostThreads);
        PiumaConfig small = scaledCache(cfg, f);
        long highCycles = lowStats.cycles();
        int simulations = 1;
        if (small.cacheBytesPerCore() != cfg.cacheBytesPerCore()) {
            simulations = 2;
            highCycles = new PiumaModel(small, progress).run(Algorithm.INNER.start(a, sb, small, false), hostThreads)
                    .cycles();
        }
        long floor = InnerBound.cycles(whole, cfg);
        long lo = Math.max(floor, Math.round(Math.min(lowStats.cycles(), highCycles) * scale * (1 - BRACKET_MARGIN)));
        long hi = Math.max(lo, Math.round(Math.max(lowStats.cycles(), highCycles) * scale * (1 + BRACKET_MARGIN)));
        long flops = Algorithm.INNER.start(a, b, cfg, false).flops();
        double wall = (System.nanoTime() - start) / 1e9;
        return new Result(Algorithm.INNER, lowStats, f, scale, flops, -1, low.hashProbes(), low.hashCollisions(),
                low.partialProducts(), low.tokens(), low.spadPeakBytes(), wall, null, lo, hi, simulations);
    }

    /**
     * {@code cfg} with the cache's sets scaled by {@code fraction} (rounded down to a power of two,
     * at least one), its ways kept: the model takes the odd factor of the line count as the ways.
     */
    static PiumaConfig scaledCache(PiumaConfig cfg, double fraction) {
        long lines = cfg.cacheBytesPerCore() / cfg.cacheLineBytes();
        if (lines == 0 || fraction >= 1.0) {
            return cfg;
        }
        long ways = lines >> Long.numberOfTrailingZeros(lines);
        long sets = lines / ways;
        long scaled = Math.max(1, Long.highestOneBit(Math.max(1, (long) Math.floor(sets * fraction))));
        return cfg.withCacheBytesPerCore(ways * scaled * cfg.cacheLineBytes());
    }

    /**
     * The operations a run of {@code alg} is expected to simulate: its estimate, or the budget when
     * it will be sampled (for a progress display; not exact).
     */
    public static double expectedOps(Algorithm alg, Csr a, Csr b, double maxOps) {
        double est = alg.estimateOps(a, b);
        if (alg == Algorithm.INNER && est <= MIN_SAMPLED_INNER_OPS) {
            return est;
        }
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
