package dev.sieve.sim.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.piuma.Algorithm;
import dev.sieve.dataflow.piuma.InnerWork;
import dev.sieve.dataflow.piuma.SpgemmRun;
import dev.sieve.dataflow.sparse.Csr;

/**
 * One algorithm simulated on one machine for {@code A x B}, sampled when it would issue more than
 * a budget of operations: the inner product keeps all rows of A and a fraction of B's columns, the
 * outer product is estimated phase by phase ({@link OuterEstimate}), the others keep a fraction of
 * A's rows. A sampled run reports the simulated cycles scaled by the work of
 * the whole product over the sample's; its product is not available.
 *
 * <p><b>The inner product core by core.</b> The inner product runs whole when its exact loads
 * ({@link InnerWork}) fit the budget. Otherwise, when every core's exact loads fit seven eighths of
 * it, it is estimated core by core ({@link #innerByCores}): its cores share nothing, so the chip's
 * cycles are the slowest core's, and a core simulated alone takes exactly its cycles of the whole
 * run; a pilot sample ranks the cores and the slowest run whole. When a single core exceeds the
 * budget, the pilot's two slowest cores are each column-sampled alone by replicates
 * ({@link #innerCoreSamples}, R-MAT 14 at the default budget), down to 1/{@link #MAX_CORE_SAMPLE_K};
 * below that (R-MAT 15 and 16) the chip is sampled by replicates as below.
 *
 * <p><b>Replicated samples of the baselines.</b> A sampled inner product is estimated from
 * three simulations, each of the whole machine (all threads, the whole cache) on a sample: two
 * disjoint-or-independent replicates at fraction {@code f}, {@code S0} and {@code S1}, and half of
 * replicate 0 at {@code f/2}, {@code H}, each scaled to the whole product. The inner product keeps
 * every {@code k = 1/f}-th of B's non-empty columns in order of length (a systematic sample
 * stratified by length; the replicates start at ranks {@code k/4} and {@code 3k/4},
 * {@link #innerOffset}) and lays B out {@code k} cache lines
 * apart, so that B fills {@code 1/k} of the cache's sets at the whole run's lines per set while A
 * keeps every set: thinning the columns alone shortened the reuse distances of B and came out
 * low, and a cache scaled by {@code f} also shrank A's share and came out high. Scaling is by
 * exact loads ({@link InnerWork}). A sampled outer product is estimated phase by phase
 * ({@link OuterEstimate}).
 * A cost fixed per run (cold misses, the ramp and the tail) is scaled by {@code 1/f}: with
 * {@code S(f) = V + c/f}, the estimate is {@code (S0 + S1)/2 - (H - S0)(1 - f)} (the whole run
 * {@code V + c}); the error reported is the spread of the three figures, {@code max - min} of
 * {@code S0, S1, H}, plus the whole correction {@code |(H - S0)(1 - f)|}, plus {@link #SHARED_BIAS}
 * of the estimate. It is an estimate, not a bound. Spread and correction alone covered the whole run
 * in every case measured (R-MAT 10-14 and the shared matrices, inner at 1/4, 1/8 and the default
 * budget's fraction; tests and README) but two, R-MAT 12 at 1/8 (-4.8 % against 4.6 %)
 * and R-MAT 14 at the default budget's 1/64 (-18.5 % against 7.8 %), where all three samples lie on
 * one side of the whole run (a bias of the sample, likely of its cache layout, that their spread
 * cannot show); the shared-bias term covers both. Below 1/16 the samples lie further below the whole run
 * the smaller the fraction (R-MAT 15 at 1/256 by 32 %, R-MAT 16 at 1/1024 by 46 %), so the
 * range's high end grows by {@link #SHORTFALL_PER_HALVING} per halving instead. The inner product's estimate is kept above its exact
 * floor ({@link InnerBound}); its fraction is fitted to the samples' exact loads
 * ({@link #innerFraction}).
 */
public final class SpgemmSimulation {
    private SpgemmSimulation() {
    }

    /**
     * A bias all three samples share, as a fraction of the estimate, added to their spread: the spread
     * cannot show it, and against whole runs it was up to 10.7 points more than the spread and the
     * correction (R-MAT 14's inner product at the default budget's 1/64: -18.5 % against 7.8 %;
     * R-MAT 12 at 1/8: -4.8 % against 4.6 %). Rounded up from the largest shortfall measured.
     */
    public static final double SHARED_BIAS = 0.15;

    /**
     * How far above a chip sample's estimate the whole run may lie, per halving of the fraction below
     * 1/8, as a fraction of the estimate: the high end of the range adds {@link #shortfall} instead of
     * {@link #SHARED_BIAS} when it is larger. At small fractions every chip sample measured came out
     * low, more so the smaller the fraction, and their spread does not show it: R-MAT 14 at 1/64 by
     * 18.5 % (the whole run 22.8 % above the estimate), R-MAT 15 at 1/256 by 32.0 % (47.1 % above; whole
     * run 3,321,426,709 cycles) and R-MAT 16 at 1/1024 by 46.5 % (86.9 % above; whole run
     * 14,665,631,244 cycles; README "The inner baseline at R-MAT 15 and 16, whole"). A sample keeps B's lines in a few of the cache's sets, so the other threads' streams
     * evict a thread's row of A far less often than in the whole run (R-MAT 14's slowest thread: 0.19
     * misses per load whole, 0.18-0.19 in samples at 1/16, 0.11-0.15 at 1/32 to 1/256). Rounded up
     * from the largest measured per halving (0.124 at 1/1024): 0.375, 0.625 and 0.875 at those fractions.
     */
    public static final double SHORTFALL_PER_HALVING = 0.125;

    /**
     * The high side's bias term of a chip sample at fraction {@code 1/k}: {@link #SHARED_BIAS}, or
     * {@link #SHORTFALL_PER_HALVING} per halving below 1/8 when that is larger (from 1/32 on).
     */
    static double shortfall(int k) {
        int halvings = 31 - Integer.numberOfLeadingZeros(Math.max(1, k)) - 3;
        return Math.max(SHARED_BIAS, SHORTFALL_PER_HALVING * halvings);
    }

    /** Operations of a replicated sample, in samples at fraction {@code f}: two at f and one at f/2. */
    public static final double REPLICATE_COST = 2.5;

    /**
     * An inner product estimated at no more operations than this runs whole whatever the budget (a
     * fraction of a second): on a few dozen columns a sample leaves each thread less than a dot product
     * and its time no longer follows its work (karate at a quarter of its columns came out 45 %
     * high, west0067 3.7 %).
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
     *                        for a whole run; -1 when a sampled run has no estimate of its error, as the
     *                        row-sampled SMASH and Gustavson runs)
     * @param cyclesHigh      the high end
     * @param estimate        the whole run's estimated cycles for a sample with a range (-1 otherwise)
     * @param opsSimulated    operations simulated in all (three samples for a replicated estimate)
     */
    public record Result(Algorithm algorithm, PiumaStats stats, double sampledFraction, double scale, long flops,
                         long nnzC, long hashProbes, long hashCollisions, long partialProducts, long tokens,
                         long spadPeakBytes, double wallSeconds, Csr product, long cyclesLow, long cyclesHigh,
                         long estimate, long opsSimulated) {

        /** A result without an error range: whole runs, and a single sample. */
        public Result(Algorithm algorithm, PiumaStats stats, double sampledFraction, double scale, long flops,
                      long nnzC, long hashProbes, long hashCollisions, long partialProducts, long tokens,
                      long spadPeakBytes, double wallSeconds, Csr product) {
            this(algorithm, stats, sampledFraction, scale, flops, nnzC, hashProbes, hashCollisions, partialProducts,
                    tokens, spadPeakBytes, wallSeconds, product,
                    sampledFraction < 1.0 ? -1 : Math.round(stats.cycles() * scale),
                    sampledFraction < 1.0 ? -1 : Math.round(stats.cycles() * scale), -1, stats.ops());
        }

        /**
         * Cycles for the whole product: the simulated cycles (times the sampling scale), or a
         * replicated sample's estimate.
         */
        public long cycles() {
            if (estimate >= 0 && sampledFraction < 1.0) {
                return estimate;
            }
            return Math.round(stats.cycles() * scale);
        }

        /**
         * The estimated error of {@link #cycles()} in percent: 0 for a whole run, the larger distance
         * from the estimate to an end of its range for a replicated sample (the range is symmetric
         * unless a floor raised its low end), NaN for a sample without one (not known).
         */
        public double errorPct() {
            if (!sampled()) {
                return 0;
            }
            if (cyclesLow < 0) {
                return Double.NaN;
            }
            return 100.0 * Math.max(cycles() - cyclesLow, cyclesHigh - cycles()) / Math.max(1, cycles());
        }

        public boolean sampled() {
            return sampledFraction < 1.0;
        }

        /** Simulated operations per second of wall time (of every simulation the result took). */
        public double opsPerWallSecond() {
            return opsSimulated / Math.max(wallSeconds, 1e-9);
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
                InnerWork work = InnerWork.of(a, b);
                if (work.totalLoads() <= maxOps) {
                    maxOps = 0; // the estimate counts every merge to its end; the exact loads fit: whole
                } else {
                    long[] coreLoads = work.coreLoads(cfg.threads(), cfg.threadsPerCore());
                    long heaviest = 0;
                    for (long l : coreLoads) {
                        heaviest = Math.max(heaviest, l);
                    }
                    if (heaviest <= maxOps * (1 - PILOT_SHARE)) {
                        return innerByCores(a, b, cfg, maxOps, work, coreLoads, hostThreads, progress, start);
                    }
                    Result r = innerCoreSamples(a, b, cfg, maxOps, work, coreLoads, hostThreads, progress, start);
                    if (r != null) {
                        return r;
                    }
                    return innerReplicated(a, b, cfg, maxOps, est, work, hostThreads, progress, start);
                }
            }
        }
        if (alg == Algorithm.OUTER && maxOps > 0 && est > maxOps) {
            return OuterEstimate.run(a, b, cfg, maxOps, hostThreads, progress, start);
        }
        double fraction = 1.0;
        double scale = 1.0;
        Csr sa = a;
        Csr sb = b;
        if (maxOps > 0 && est > maxOps) {
            fraction = maxOps / est;
            double f = fraction;
            if (alg.samplesColumnsOfB()) {
                sb = b.transpose().keepRows(j -> keep(j, f, 0)).transpose();
            } else {
                sa = a.keepRows(i -> keep(i, f, 0));
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
     * Share of the budget the core-by-core inner estimate spends on its pilot (every core on a
     * column sample), the rest on whole cores.
     */
    public static final double PILOT_SHARE = 0.125;

    /**
     * How far a core's finish cycle may lie above its pilot's estimate, as a fraction of the
     * estimate: the high end of the range for a core not simulated whole. Measured per core against
     * whole runs (R-MAT 11-13, bcsstk13; column samples at 1/4 to 1/128, both replicates; README
     * "Sampling the baselines"): a pilot came out at most 19.9 % low (R-MAT 12, core 1 at 1/4), that is
     * the core took up to 1.248 times its estimate; rounded up.
     */
    public static final double PILOT_SHORTFALL = 0.25;

    /**
     * The inner product estimated core by core: its cores share nothing (rows dealt round-robin to
     * threads, each core its own cache and DRAM channel, no barrier), so the chip's cycles are
     * exactly the largest finish cycle of its cores, and a core simulated alone
     * ({@link PiumaModel#runCores}) gives exactly its finish cycle in the whole run. A pilot (every
     * core on one systematic column sample, B laid out {@code k} lines apart as in
     * {@link #innerSample}, at most {@link #PILOT_SHARE} of the budget) estimates each core's finish
     * cycle, scaled by the core's exact loads over its loads in the sample; then the cores are
     * simulated whole, slowest by the pilot first, each whose exact loads fit what is left of the
     * budget. The estimate is the slowest whole core, or the largest pilot estimate of a core not
     * simulated times the mean ratio of whole to pilot on the cores simulated, when that is higher;
     * the low end is the slowest whole core (a bound: the chip takes at least
     * as long as any of its cores) and at least the floor ({@link InnerBound}), the high end
     * {@code 1 + }{@link #PILOT_SHORTFALL} times the pilot's estimate of every core not simulated
     * whole (times that ratio when it is above 1). Called only when every core's loads fit what the pilot leaves, so the pilot's slowest
     * core always runs whole.
     */
    private static Result innerByCores(Csr a, Csr b, PiumaConfig cfg, double maxOps, InnerWork work,
                                       long[] coreLoads, int hostThreads,
                                       java.util.concurrent.atomic.AtomicLong progress, long start) {
        int cores = cfg.cores();
        Pilot p = pilot(a, b, b.transpose(), lengthOrder(b), cfg, maxOps, coreLoads, hostThreads, progress);
        long[] pilotLoads = p.loads();
        PiumaStats pilot = p.stats();
        double[] guess = p.guess();
        int[] rank = p.rank();
        // whole cores, slowest by the pilot first, while they fit what is left of the budget
        double left = maxOps - sum(pilotLoads);
        boolean[] whole = new boolean[cores];
        int n = 0;
        for (int c : rank) {
            if (coreLoads[c] > 0 && coreLoads[c] <= left) {
                whole[c] = true;
                left -= coreLoads[c];
                n++;
            }
        }
        int[] chosen = new int[n];
        n = 0;
        for (int c : rank) {
            if (whole[c]) {
                chosen[n++] = c;
            }
        }
        SpgemmRun wholeRun = Algorithm.INNER.start(a, b, cfg, false);
        PiumaStats.Core[] simulated = new PiumaModel(cfg, progress).runCores(wholeRun, chosen, hostThreads);
        long slowest = 0;
        long ops = pilot.ops();
        long loadsSimulated = sum(pilotLoads);
        for (PiumaStats.Core core : simulated) {
            slowest = Math.max(slowest, core.finishCycle());
            ops += core.ops();
            loadsSimulated += coreLoads[core.core()];
        }
        // the pilot's bias at its fraction, measured on the cores simulated whole: their finish cycles
        // over the pilot's estimates (on most inputs a pilot leans one way: R-MAT 13 at 1/64 came out
        // 10-43 % high on seven of eight cores; README)
        double ratio = 0;
        int measured = 0;
        for (PiumaStats.Core core : simulated) {
            if (guess[core.core()] > 0) {
                ratio += core.finishCycle() / guess[core.core()];
                measured++;
            }
        }
        ratio = measured > 0 ? ratio / measured : 1;
        double guessed = 0;
        for (int c = 0; c < cores; c++) {
            if (!whole[c] && coreLoads[c] > 0) {
                guessed = Math.max(guessed, guess[c]);
            }
        }
        return coreEstimate(p, work, cfg, Math.max(slowest, guessed * ratio), slowest,
                guessed * Math.max(ratio, 1) * (1 + PILOT_SHORTFALL), loadsSimulated, ops, wholeRun.flops(), start);
    }

    /**
     * The result of a core-by-core inner estimate ({@link #innerByCores}, {@link #innerCoreSamples}):
     * the estimate {@code est} and its range {@code lo .. hi} raised to the exact floor
     * ({@link InnerBound}), the pilot's statistics scaled by the whole product's loads over its own,
     * and the fraction of the product's loads simulated.
     */
    private static Result coreEstimate(Pilot p, InnerWork work, PiumaConfig cfg, double est, double lo, double hi,
                                       long loadsSimulated, long ops, long flops, long start) {
        long floor = InnerBound.cycles(work, cfg);
        long estimate = Math.max(floor, Math.max(1, Math.round(est)));
        long low = Math.min(Math.max(floor, Math.round(lo)), estimate);
        long high = Math.max(estimate, Math.round(hi));
        double wall = (System.nanoTime() - start) / 1e9;
        return new Result(Algorithm.INNER, p.stats(), (double) loadsSimulated / work.totalLoads(),
                (double) work.totalLoads() / Math.max(1, sum(p.loads())), flops, -1, 0, 0, 0, 0, 0, wall, null, low,
                high, estimate, ops);
    }

    /** Cores a core-sampled inner estimate samples: the slowest by its pilot. */
    public static final int SAMPLED_CORES = 2;

    /**
     * The smallest fraction, {@code 1/k}, at which cores are column-sampled alone: the fractions
     * measured against whole cores (R-MAT 13 at 1/2 to 1/16, R-MAT 14 at 1/8 and 1/16; README). Below
     * it (R-MAT 15 and 16 at the default budget) the chip's replicated sample is used.
     */
    public static final int MAX_CORE_SAMPLE_K = 16;

    /**
     * The inner product when a single core exceeds the budget: the pilot ({@link #pilot}) ranks the
     * cores, and the {@link #SAMPLED_CORES} slowest by it are each estimated alone
     * ({@link PiumaModel#runCores}, the other cores' streams never generated) from three column
     * samples as the chip's replicated estimate is (replicates at {@code 1/k} starting at ranks
     * {@code k/4} and {@code 3k/4}, half of the first at {@code 1/2k}, B laid out {@code k} lines apart,
     * each scaled by the core's exact loads over its sample's; estimate {@code (S0 + S1)/2 - (H - S0)(1
     * - 1/k)}; error the spread, the correction and {@link #SHARED_BIAS}), at the largest {@code 1/k}
     * whose exact loads fit what the pilot leaves. A core alone costs an eighth of the chip, so
     * {@code k} is about eight times smaller than the chip sample's for the same budget. The chip's
     * estimate is the largest of the sampled cores' estimates and the other cores' pilot estimates
     * times the mean ratio of sampled estimate to pilot estimate on the sampled cores; its range spans
     * the sampled cores' ranges and, as in {@link #innerByCores}, {@code 1 + }{@link #PILOT_SHORTFALL}
     * times the other cores' pilot estimates. Null when no fraction down to {@code 1/}{@link
     * #MAX_CORE_SAMPLE_K} fits (the chip sample is used).
     */
    private static Result innerCoreSamples(Csr a, Csr b, PiumaConfig cfg, double maxOps, InnerWork work,
                                           long[] coreLoads, int hostThreads,
                                           java.util.concurrent.atomic.AtomicLong progress, long start) {
        int cores = cfg.cores();
        int[] order = lengthOrder(b);
        Csr bt = b.transpose();
        // the sampled cores' loads must leave room for the pilot: try the fractions before running it
        int m = Math.min(SAMPLED_CORES, cores);
        long topLoads = 0;
        long[] sorted = coreLoads.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < m; i++) {
            topLoads += sorted[cores - 1 - i];
        }
        double left = maxOps * (1 - PILOT_SHARE);
        // three samples at 1/k cost about 2.5/k of the cores' loads: start there, then check exactly
        long k = Long.highestOneBit(Math.max(2, (long) Math.ceil(REPLICATE_COST * topLoads / left)));
        while (REPLICATE_COST * topLoads / k > left) {
            k *= 2;
        }
        if (k > MAX_CORE_SAMPLE_K || innerOffset((int) k, 1) >= order.length) {
            return null;
        }
        Pilot p = pilot(a, b, bt, order, cfg, maxOps, coreLoads, hostThreads, progress);
        int[] top = new int[m];
        System.arraycopy(p.rank(), 0, top, 0, m);
        left = maxOps - sum(p.loads());
        long[][] sampleLoads;
        while (true) {
            if (k > MAX_CORE_SAMPLE_K || innerOffset((int) k, 1) >= order.length) {
                return null;
            }
            sampleLoads = new long[3][];
            int[][] spec = replicateSamples((int) k);
            long need = 0;
            for (int s = 0; s < 3; s++) {
                sampleLoads[s] = InnerWork.of(a, bt.keepRows(everyKth(order, bt.rows(), spec[s][0], spec[s][1]))
                        .transpose()).coreLoads(cfg.threads(), cfg.threadsPerCore());
                for (int c : top) {
                    need += sampleLoads[s][c];
                }
            }
            if (need <= left) {
                break;
            }
            k *= 2;
        }
        int[][] spec = replicateSamples((int) k);
        double[][] scaled = new double[3][m];
        long ops = p.stats().ops();
        long loadsSimulated = sum(p.loads());
        for (int s = 0; s < 3; s++) {
            java.util.function.IntPredicate kept = everyKth(order, bt.rows(), spec[s][0], spec[s][1]);
            PiumaStats.Core[] got = new PiumaModel(cfg, progress).runCores(
                    Algorithm.startInnerColumnSample(a, b, kept, spec[s][0], cfg), top, hostThreads);
            for (int i = 0; i < m; i++) {
                int c = top[i];
                ops += got[i].ops();
                loadsSimulated += sampleLoads[s][c];
                scaled[s][i] = sampleLoads[s][c] > 0 ? (double) got[i].finishCycle() * coreLoads[c] / sampleLoads[s][c]
                        : got[i].finishCycle();
            }
        }
        double f = 1.0 / k;
        double est = 0;
        double lo = 0;
        double hi = 0;
        double ratio = 0;
        for (int i = 0; i < m; i++) {
            double s0 = scaled[0][i];
            double s1 = scaled[1][i];
            double h = scaled[2][i];
            double bias = (h - s0) * (1 - f);
            double e = (s0 + s1) / 2 - bias;
            double err = Math.max(Math.max(s0, s1), h) - Math.min(Math.min(s0, s1), h) + Math.abs(bias)
                    + SHARED_BIAS * Math.abs(e);
            est = Math.max(est, e);
            lo = Math.max(lo, e - err);
            hi = Math.max(hi, e + err);
            ratio += p.guess()[top[i]] > 0 ? e / p.guess()[top[i]] : 1;
        }
        ratio /= m;
        boolean[] sampled = new boolean[cores];
        for (int c : top) {
            sampled[c] = true;
        }
        for (int c = 0; c < cores; c++) {
            if (!sampled[c] && coreLoads[c] > 0) {
                est = Math.max(est, p.guess()[c] * ratio);
                hi = Math.max(hi, p.guess()[c] * Math.max(ratio, 1) * (1 + PILOT_SHORTFALL));
            }
        }
        return coreEstimate(p, work, cfg, est, lo, hi, loadsSimulated, ops,
                Algorithm.flops(a, b), start);
    }

    /**
     * A pilot of the core-by-core estimates: every core on one systematic sample of B's columns at
     * the largest 1/k (k a power of two, at least 2) whose exact loads fit {@link #PILOT_SHARE} of the
     * budget; {@code guess[c]} is core c's finish cycle scaled by its exact loads over its sample's,
     * {@code rank} the cores by guess, slowest first.
     */
    record Pilot(int k, long[] loads, PiumaStats stats, double[] guess, int[] rank) {
    }

    static Pilot pilot(Csr a, Csr b, Csr bt, int[] order, PiumaConfig cfg, double maxOps, long[] coreLoads,
                       int hostThreads, java.util.concurrent.atomic.AtomicLong progress) {
        int cores = cfg.cores();
        // a sample's loads are about 1/k of the whole's: start from the largest k that cannot fit
        int k = (int) Math.max(2, Math.min(1 << 29, Long.highestOneBit(
                (long) (sum(coreLoads) / Math.max(1, maxOps * PILOT_SHARE)))));
        while (k > 2 && innerOffset(k, 0) >= order.length) {
            k /= 2;
        }
        java.util.function.IntPredicate kept;
        long[] pilotLoads;
        while (true) {
            kept = everyKth(order, bt.rows(), k, innerOffset(k, 0));
            pilotLoads = InnerWork.of(a, bt.keepRows(kept).transpose())
                    .coreLoads(cfg.threads(), cfg.threadsPerCore());
            if (sum(pilotLoads) <= maxOps * PILOT_SHARE || innerOffset(2 * k, 0) >= order.length) {
                break;
            }
            k *= 2;
        }
        PiumaStats stats = new PiumaModel(cfg, progress).run(Algorithm.startInnerColumnSample(a, b, kept, k, cfg),
                hostThreads);
        double[] guess = new double[cores];
        Integer[] byGuess = new Integer[cores];
        for (int c = 0; c < cores; c++) {
            byGuess[c] = c;
            long f = stats.perCore()[c].finishCycle();
            guess[c] = pilotLoads[c] > 0 ? (double) f * coreLoads[c] / pilotLoads[c] : f;
        }
        java.util.Arrays.sort(byGuess, (x, y) -> Double.compare(guess[y], guess[x]));
        int[] rank = new int[cores];
        for (int c = 0; c < cores; c++) {
            rank[c] = byGuess[c];
        }
        return new Pilot(k, pilotLoads, stats, guess, rank);
    }

    private static long sum(long[] xs) {
        long s = 0;
        for (long x : xs) {
            s += x;
        }
        return s;
    }

    /**
     * The inner product sampled by replicates (see the class comment) at {@link #innerFraction}.
     */
    private static Result innerReplicated(Csr a, Csr b, PiumaConfig cfg, double maxOps, double est, InnerWork work,
                                          int hostThreads, java.util.concurrent.atomic.AtomicLong progress, long start) {
        return replicated(a, b, cfg, innerFraction(a, b, maxOps, est), work, hostThreads, progress, start);
    }

    /**
     * The fraction of B's columns a sampled inner product keeps: the largest power of two at most
     * 1/2 whose three samples ({@link #innerOffset}) issue no more than {@code maxOps} loads, counted
     * exactly ({@link InnerWork}; the stores, one per non-empty dot product, add under 1 % on R-MAT).
     * The search starts from the fraction the operation estimate gives ({@code est}, which counts
     * every merge to its end and so lies above the loads). It never goes below the smallest sample
     * whose replicates both keep a column; when even that exceeds the budget, it is taken.
     */
    static double innerFraction(Csr a, Csr b, double maxOps, double est) {
        // B's transpose and its length order are the same for every fraction tried: made once
        Csr bt = b.transpose();
        int[] order = lengthOrder(b);
        int n = order.length;
        long kMax = 2;
        while (kMax < (1L << 29) && innerOffset((int) (2 * kMax), 1) < n) {
            kMax *= 2;
        }
        long k = 2;
        while (k < kMax && REPLICATE_COST * est / k > maxOps) {
            k *= 2;
        }
        // the estimate lies above the loads: take the larger fractions whose exact loads still fit
        while (k > 2 && sampleLoads(a, bt, order, (int) (k / 2)) <= maxOps) {
            k /= 2;
        }
        while (k < kMax && sampleLoads(a, bt, order, (int) k) > maxOps) {
            k *= 2;
        }
        return 1.0 / k;
    }

    /** Exact loads of the three samples at {@code 1/k} of B's columns: both replicates and the half. */
    static long sampleLoads(Csr a, Csr b, int k) {
        return sampleLoads(a, b.transpose(), lengthOrder(b), k);
    }

    /** The same, given B's transpose {@code bt} and its {@link #lengthOrder}. */
    private static long sampleLoads(Csr a, Csr bt, int[] order, int k) {
        if (k < 2) {
            throw new IllegalArgumentException("k must be at least 2, got " + k);
        }
        long loads = 0;
        for (int[] s : replicateSamples(k)) {
            loads += InnerWork.of(a, bt.keepRows(everyKth(order, bt.rows(), s[0], s[1])).transpose()).totalLoads();
        }
        return loads;
    }

    /**
     * Where replicate {@code r} (0 or 1) of a systematic sample of every {@code k}-th column starts in
     * the length order: at {@code k/4} and {@code 3k/4}, so that the two replicates are the two
     * interleaved halves of a centred systematic sample of every {@code k/2}-th column (for
     * {@code k = 2}: the even and the odd ranks). A start at the longest column made every sample
     * carry the longest columns, far more than their share when few columns are kept: R-MAT 16 at
     * 1/1024 issued four times the loads of 1/1024 of the product, and three samples cost three times
     * the budget.
     */
    static int innerOffset(int k, int r) {
        return r == 0 ? k / 4 : 3 * k / 4;
    }

    /**
     * The three samples of a replicated estimate at {@code 1/k}, as (every how many columns, start):
     * replicates 0 and 1, then every {@code 2k}-th column from replicate 0's start (half of it).
     */
    static int[][] replicateSamples(int k) {
        return new int[][] {{k, innerOffset(k, 0)}, {k, innerOffset(k, 1)}, {2 * k, innerOffset(k, 0)}};
    }

    /**
     * The inner product estimated from three samples at fraction {@code f} (see the class comment):
     * replicates 0 and 1 at {@code f}, and half of replicate 0. Package-private so that tests can
     * choose the fraction.
     */
    static Result replicated(Csr a, Csr b, PiumaConfig cfg, double f, int hostThreads,
                             java.util.concurrent.atomic.AtomicLong progress, long start) {
        return replicated(a, b, cfg, f, InnerWork.of(a, b), hostThreads, progress, start);
    }

    /** The same, given the whole product's exact loads {@code whole}. */
    private static Result replicated(Csr a, Csr b, PiumaConfig cfg, double f, InnerWork whole, int hostThreads,
                                     java.util.concurrent.atomic.AtomicLong progress, long start) {
        int k = (int) Math.round(1 / f);
        if (k < 2 || Integer.bitCount(k) != 1) {
            throw new IllegalArgumentException("inner sample fraction must be 1/2^n, n >= 1: " + f);
        }
        int[][] spec = replicateSamples(k);
        Sample r0 = innerSample(a, b, cfg, spec[0][0], spec[0][1], whole, hostThreads, progress);
        Sample r1 = innerSample(a, b, cfg, spec[1][0], spec[1][1], whole, hostThreads, progress);
        Sample half = innerSample(a, b, cfg, spec[2][0], spec[2][1], whole, hostThreads, progress);
        long floor = InnerBound.cycles(whole, cfg);
        double s0 = r0.scaledCycles();
        double s1 = r1.scaledCycles();
        // a fixed cost c per run scales to c/f: S(f) = V + c/f, so S(f/2) - S(f) = c/f and the whole
        // run's V + c lies (S(f/2) - S(f)) (1 - f) below S(f)
        double bias = (half.scaledCycles() - s0) * (1 - f);
        // the error: the spread of the three samples' figures (sampling noise and the trend over the
        // fraction) plus the whole correction
        double estimate = (s0 + s1) / 2 - bias;
        double h = half.scaledCycles();
        double spread = Math.max(Math.max(s0, s1), h) - Math.min(Math.min(s0, s1), h) + Math.abs(bias);
        // the inner product's estimate never below its exact floor; cycles are never negative
        // raised to the floor, the estimate's shift is added to its error: a sample that lands below
        // a proven bound is off by at least that much
        long est = Math.max(floor, Math.max(1, Math.round(estimate)));
        double shift = est - estimate;
        // the bias the samples share: below, the shared bias; above, at small fractions, the shortfall
        long lo = Math.max(floor, Math.max(0, Math.round(estimate - spread - SHARED_BIAS * Math.abs(estimate))));
        long hi = Math.max(est, Math.round(est + spread + shortfall(k) * Math.abs(estimate) + Math.max(0, shift)));
        long flops = Algorithm.flops(a, b);
        long simulated = r0.stats().ops() + r1.stats().ops() + half.stats().ops();
        double wall = (System.nanoTime() - start) / 1e9;
        SpgemmRun run = r0.run();
        return new Result(Algorithm.INNER, r0.stats(), f, r0.scale(), flops, -1, run.hashProbes(), run.hashCollisions(),
                run.partialProducts(), run.tokens(), run.spadPeakBytes(), wall, null, lo, hi, est, simulated);
    }

    /**
     * The operations a run of {@code alg} is expected to simulate: its estimate, or the budget when
     * it will be sampled, or for an outer product estimated phase by phase the operations its
     * skeleton and samples go through ({@link OuterEstimate#expectedOps}; a sampled outer run had been
     * counted at its whole budget, and the display stopped at about 83 %) (for a progress display; not
     * exact).
     */
    public static double expectedOps(Algorithm alg, Csr a, Csr b, PiumaConfig cfg, double maxOps) {
        double est = alg.estimateOps(a, b);
        if (alg == Algorithm.INNER && est <= MIN_SAMPLED_INNER_OPS) {
            return est;
        }
        if (alg == Algorithm.OUTER && maxOps > 0 && est > maxOps) {
            return OuterEstimate.expectedOps(a, b, cfg, maxOps);
        }
        return maxOps > 0 && est > maxOps ? maxOps : est;
    }

    /** One sample's simulated statistics, its run and its scale to the whole product. */
    record Sample(PiumaStats stats, double scale, SpgemmRun run) {
        long scaledCycles() {
            return Math.round(stats.cycles() * scale);
        }
    }

    /**
     * The inner product on every {@code k}-th column of B by length ({@link #systematic}, from the
     * {@code offset}-th), B laid out {@code k} lines apart ({@link Algorithm#startInnerColumnSample}),
     * scaled by the whole product's exact loads over the sample's.
     */
    static Sample innerSample(Csr a, Csr b, PiumaConfig cfg, int k, int offset, InnerWork whole, int hostThreads,
                              java.util.concurrent.atomic.AtomicLong progress) {
        java.util.function.IntPredicate kept = systematic(b, k, offset);
        Csr sb = b.transpose().keepRows(kept).transpose();
        long sampleLoads = InnerWork.of(a, sb).totalLoads();
        double scale = sampleLoads > 0 ? (double) whole.totalLoads() / sampleLoads : 1.0;
        SpgemmRun run = Algorithm.startInnerColumnSample(a, b, kept, k, cfg);
        return new Sample(new PiumaModel(cfg, progress).run(run, hostThreads), scale, run);
    }

    /**
     * Every {@code k}-th of B's non-empty columns in order of length (longest first, ties by index),
     * starting at the {@code offset mod k}-th: a systematic sample stratified by column length.
     */
    static java.util.function.IntPredicate systematic(Csr b, int k, int offset) {
        return everyKth(lengthOrder(b), b.cols(), k, offset);
    }

    /** B's non-empty columns in order of length, longest first, ties by index. */
    static int[] lengthOrder(Csr b) {
        long[] len = new long[b.cols()];
        for (int c : b.colIdx()) {
            len[c]++;
        }
        Integer[] order = new Integer[b.cols()];
        int n = 0;
        for (int j = 0; j < len.length; j++) {
            if (len[j] > 0) {
                order[n++] = j;
            }
        }
        java.util.Arrays.sort(order, 0, n, (x, y) -> len[x] != len[y] ? Long.compare(len[y], len[x])
                : Integer.compare(x, y));
        int[] out = new int[n];
        for (int r = 0; r < n; r++) {
            out[r] = order[r];
        }
        return out;
    }

    /** Every {@code k}-th index of {@code order}, starting at the {@code offset mod k}-th, of {@code size} in all. */
    private static java.util.function.IntPredicate everyKth(int[] order, int size, int k, int offset) {
        boolean[] keep = new boolean[size];
        for (int r = Math.floorMod(offset, k); r < order.length; r += k) {
            keep[order[r]] = true;
        }
        return j -> keep[j];
    }

    /**
     * A deterministic, well-spread choice of a fraction {@code f} of the indices, one of several
     * independent ones by {@code salt}; for one salt a smaller fraction keeps a subset of a larger one.
     */
    static boolean keep(int index, double f, int salt) {
        return dev.sieve.dataflow.piuma.SampleHash.unit(index, salt) < f;
    }
}

