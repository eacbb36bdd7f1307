package dev.sieve.sim.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.piuma.Algorithm;
import dev.sieve.dataflow.piuma.Op;
import dev.sieve.dataflow.piuma.SpgemmRun;
import dev.sieve.dataflow.sparse.Csr;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outer product's cycles estimated phase by phase, for a run over the operation budget.
 *
 * <p>The outer product runs three phases, each closed by a chip barrier: the symbolic pass, the
 * multiply phase (A's columns dealt round-robin to the threads, every partial product stored in its
 * row's bucket) and the merge phase (rows dealt round-robin, each bucket streamed back, sorted and
 * stored). The chip's cycles are the sum of the phases' spans. A thread waits for its own stores
 * and a barrier releases every thread at once, so a phase inherits little from the one before (the
 * cache's contents): simulated apart, the phases' spans add up to the whole run's cycles within
 * 0.1 % on R-MAT 10-13 and bcsstk13 and 0.8 % on cryg2500 (measured; README).
 *
 * <p>The merge phase is most of the cycles (55-64 % on R-MAT 10-16, 78 % on bcsstk13) and is
 * decided by the threads holding the heaviest rows, which is what a sample of A's rows got wrong:
 * at R-MAT 16 the previous hash sample at 0.066 put the merge at +60 to +97 % while its multiply
 * phase came within 3 %. The symbolic pass and the merge issue about 0.3 operations per partial
 * product (the bucket streamed in 15-word pieces, the sort charged in 255-cycle ALU operations),
 * so they are simulated whole, together, in a <em>skeleton</em> run whose multiply phase is empty:
 * exact for those phases, however skewed the rows. Without the multiply phase's atomics the cores
 * share nothing but the barriers, so the skeleton is simulated core by core (same cycles, tested),
 * and its merge only on the cores that can decide it ({@link #skeleton}); the others are counted.
 *
 * <p>The multiply phase, two operations per partial product, alone is sampled: every thread keeps
 * all its columns of A and takes a systematic sample of fraction {@code f} of each column's entries
 * with a random start ({@link Algorithm#startOuterPhases}); all entries of a column cost the same
 * (B's row k), so every column and every thread keeps very nearly the fraction f of its work, with
 * the whole run's concurrency, addresses and atomic targets (replicates differ by 0.1-0.9 %). A
 * sample's span scaled by the phase's exact operations over the sample's lies above the whole
 * phase by a cost that does not shrink with the work (each column's pointer loads and its first,
 * missing, pass over B's row; the tail), and that excess at least doubled with every halving of
 * the fraction wherever it was measurable (R-MAT 10-14 and 16, bcsstk13, cryg2500 at 1/2 to 1/16).
 * So with {@code S} at f and replicates {@code H0, H1} at f/2 (scaled), the excess at f lies
 * between 0 and {@code d = (H0 + H1)/2 - S}: the multiply phase is estimated at {@code S - d/2},
 * with an error of {@code d/2} plus the replicates' spread {@code |H0 - H1|} plus {@link #COUPLING}
 * of the phase for what the phases pass on to each other. It is an estimate, not a bound.
 *
 * <p>Budget: the skeleton runs first; the three samples take 2 f of the multiply phase's
 * operations, f chosen so that they fit what the skeleton leaves of the budget and at most
 * {@link #SAMPLE_SHARE} of it and {@link #MAX_SAMPLE_OPS}.
 */
public final class OuterEstimate {
    private OuterEstimate() {
    }

    /**
     * The phases' interaction, as a fraction of the multiply phase's estimate: simulated apart, the
     * phases added up to the whole run within 0.1 % on R-MAT 10-13 and bcsstk13, and 448 cycles
     * (2.2 % of its multiply phase, 0.76 % of the run) above it on cryg2500; rounded up.
     */
    public static final double COUPLING = 0.025;

    /** The smallest multiply fraction taken when the skeleton leaves (almost) nothing of the budget. */
    public static final double MIN_FRACTION = 1.0 / 1024;

    /** Samples' cost in multiply phases at fraction f: one at f and two replicates at f/2. */
    public static final double SAMPLE_COST = 2.0;

    /**
     * The multiply samples' share of the budget at most (the skeleton's is what it is), up to
     * {@link #MAX_SAMPLE_OPS}.
     */
    public static final double SAMPLE_SHARE = 0.25;

    /**
     * The multiply samples' operations at most, whatever the budget: their size, not the fraction,
     * decides their accuracy (README), and a budget above the default does not enlarge them. At R-MAT 15 and 16 samples of 5e7 operations (a quarter of the default budget;
     * f = 0.083 and 0.031) came within 0.7 % of the whole runs, reported within 1.9 and 2.3 %; samples
     * of 2.5e7 within 0.2 %, but reported within 3.0 and 4.6 %, for about 2.5 CPU-s less: not kept. A
     * smaller budget keeps its quarter.
     */
    public static final double MAX_SAMPLE_OPS = 5e7;

    /** What the samples may take: what the skeleton leaves, at most the share and the cap. */
    private static double samplesOps(double maxOps, long skeletonOps) {
        return Math.min(maxOps - skeletonOps, Math.min(SAMPLE_SHARE * maxOps, MAX_SAMPLE_OPS));
    }

    /** The estimate's parts, for tests and the README's measurements. */
    record Parts(long skeleton, double s, double h0, double h1, double multiply, double error, double f,
                 long opsSimulated, int skeletonCores) {
    }

    /**
     * The multiply fraction for a budget of {@code maxOps} operations when the skeleton took
     * {@code skeletonOps} and the whole multiply phase issues {@code multiplyOps}: what the skeleton
     * leaves of the budget, at most {@link #SAMPLE_SHARE} of it and {@link #MAX_SAMPLE_OPS}, over
     * {@link #SAMPLE_COST} phases; at
     * most 1/2, at least {@link #MIN_FRACTION}.
     */
    static double fraction(double maxOps, long skeletonOps, long multiplyOps) {
        double samples = samplesOps(maxOps, skeletonOps);
        double f = samples / (SAMPLE_COST * Math.max(1, multiplyOps));
        return Math.max(MIN_FRACTION, Math.min(0.5, f));
    }

    /**
     * {@link #fraction}, lowered in steps of 2 % until the three samples' operations, counted exactly
     * ({@link Algorithm#outerMultiplyOps}: each column keeps {@code floor(f L + u)} entries, a little
     * more than {@code f L} at times), fit the samples' share of the budget.
     */
    static double fitted(Csr at, Csr b, double maxOps, long skeletonOps, long multiplyOps) {
        double f = fraction(maxOps, skeletonOps, multiplyOps);
        double share = samplesOps(maxOps, skeletonOps);
        while (f > MIN_FRACTION && threeSamplesOps(at, b, f) > share) {
            f = Math.max(MIN_FRACTION, f * 0.98);
        }
        return f;
    }

    /**
     * The operations an estimate within {@code maxOps} goes through, for a progress display: the
     * skeleton's, simulated or counted ({@link Algorithm#outerSkeletonOps}, within about 1 %), and the
     * three multiply samples' at the fraction {@link #fitted} will take, counted exactly.
     */
    static double expectedOps(Csr a, Csr b, PiumaConfig cfg, double maxOps) {
        long skeleton = Algorithm.outerSkeletonOps(a, b, cfg);
        Csr at = a.transpose();
        long mulOps = Algorithm.outerMultiplyOpsByColumns(at, b, 1, 0);
        double f = fitted(at, b, maxOps, skeleton, mulOps);
        return skeleton + threeSamplesOps(at, b, f);
    }

    /** The three multiply samples' operations at fraction {@code f}, counted exactly: one at f, two replicates at f/2. */
    private static long threeSamplesOps(Csr at, Csr b, double f) {
        return Algorithm.outerMultiplyOpsByColumns(at, b, f, 0) + Algorithm.outerMultiplyOpsByColumns(at, b, f / 2, 0)
                + Algorithm.outerMultiplyOpsByColumns(at, b, f / 2, 1);
    }

    /**
     * The estimate within a budget of {@code maxOps} operations. ({@code hostThreads} is not used: the
     * skeleton's cores are simulated one after another, as each decides whether the next must be,
     * and the multiply samples on one engine for the chip.)
     */
    static SpgemmSimulation.Result run(Csr a, Csr b, PiumaConfig cfg, double maxOps, int hostThreads,
                                       AtomicLong progress, long start) {
        return estimate(a, b, cfg, maxOps, -1, hostThreads, progress, start).result();
    }

    /** An estimate's result and its parts. */
    record Outcome(SpgemmSimulation.Result result, Parts parts) {
    }

    /**
     * The estimate with the multiply phase sampled at {@code forcedFraction} (in (0, 1/2]), or at
     * the budget's fraction when it is not positive.
     */
    static Outcome estimate(Csr a, Csr b, PiumaConfig cfg, double maxOps, double forcedFraction, int hostThreads,
                            AtomicLong progress, long start) {
        Skeleton sk = skeleton(a, b, cfg, progress);
        SpgemmRun skelRun = sk.run();
        PiumaStats skel = sk.stats();
        Csr at = a.transpose();
        long mulOps = Algorithm.outerMultiplyOpsByColumns(at, b, 1, 0);
        double f = forcedFraction > 0 ? forcedFraction : fitted(at, b, maxOps, skel.ops(), mulOps);
        if (!(f > 0 && f <= 0.5)) {
            throw new IllegalArgumentException("outer multiply fraction must lie in (0, 1/2], got " + f);
        }
        Sample r = multiply(a, at, b, cfg, f, 0, mulOps, progress);
        Sample r0 = multiply(a, at, b, cfg, f / 2, 0, mulOps, progress);
        Sample r1 = multiply(a, at, b, cfg, f / 2, 1, mulOps, progress);
        double s = r.scaled();
        double h0 = r0.scaled();
        double h1 = r1.scaled();
        // the excess of the sample at f lies between 0 and d (it at least doubles from f to f/2)
        double d = Math.max(0, (h0 + h1) / 2 - s);
        double multiply = Math.max(0, s - d / 2);
        double error = d / 2 + Math.abs(h0 - h1) + COUPLING * multiply;
        long estimate = Math.max(1, Math.round(skel.cycles() + multiply));
        long lo = Math.max(0, Math.round(estimate - error));
        long hi = Math.round(estimate + error);
        long simulated = skel.ops() - sk.countedOps() + r.stats.ops() + r0.stats.ops() + r1.stats.ops();
        PiumaStats stats = combine(cfg, skel, r.stats, r.scale, estimate);
        double wall = (System.nanoTime() - start) / 1e9;
        // the outer product writes every multiply-add as a partial product, and probes no hash table
        return new Outcome(new SpgemmSimulation.Result(Algorithm.OUTER, stats, f, 1.0, skelRun.flops(), -1, 0, 0,
                skelRun.flops(), 0, skelRun.spadPeakBytes(), wall, null, lo, hi, estimate, simulated),
                new Parts(skel.cycles(), s, h0, h1, multiply, error, f, simulated, sk.cores()));
    }

    /**
     * The least margin by which a core's merge span may exceed its issue-slot bound
     * ({@link #mergeBounds}) before the core is simulated: see {@link #skeleton}.
     */
    public static final double MIN_MARGIN = 0.05;

    /**
     * The margin per excess of the simulated cores' merge spans over their bounds: a core is skipped
     * only when its bound times {@code 1 + max(MIN_MARGIN, EXCESS_MARGIN (rho - 1))} lies below the
     * slowest simulated core, {@code rho} the largest ratio of span to bound among the cores simulated.
     * Calibrated on merge phases simulated whole (README): at R-MAT 11 the slowest core's span was
     * 1.152 times its bound while the core with the largest bound was at 1.026, so a margin of 12.3 %
     * was needed where the first core showed 2.6 %: 4.8 times; rounded up to 5.
     */
    public static final double EXCESS_MARGIN = 5;

    /** The skeleton run, its statistics, the cores whose merge was simulated and the operations only counted. */
    record Skeleton(SpgemmRun run, PiumaStats stats, int cores, long countedOps) {
    }

    /**
     * The skeleton (symbolic pass, empty multiply phase, merge) with its merge simulated only on the
     * cores that can decide it. The skeleton is core-local and its cycles are the slowest core's
     * merge end. A core's merge span is at least the issue slots of its busiest pipeline
     * ({@link #mergeBounds}, a pipeline issues one slot a cycle) and was at most 1.025
     * times that at R-MAT 14-16 and 1.18 times below (R-MAT 10-13, bcsstk13; cryg2500, whose merge
     * is a few thousand cycles a thread, 1.67): README. So every core runs the symbolic pass, then the
     * cores are simulated through the merge in order of that bound, largest first, until the next
     * core's bound, raised by a margin ({@link #MIN_MARGIN}, {@link #EXCESS_MARGIN}), lies below the
     * slowest core simulated; the others' merges are only counted, in closed form (their operations,
     * slots and DRAM traffic are exact; their threads' finish cycles are estimated as
     * {@link PiumaModel.Staged#account} says). When the margin holds the
     * skeleton's cycles are the whole skeleton's, exactly; at R-MAT 16, 4 of the 8 cores are simulated.
     */
    static Skeleton skeleton(Csr a, Csr b, PiumaConfig cfg, AtomicLong progress) {
        // C's rows counted once: for the bounds, and for the merge, which would count them again
        int[] rowCounts = Algorithm.outerRowCounts(a, b);
        SpgemmRun run = Algorithm.startOuterPhases(a, b, cfg, true, 0, 0, true, rowCounts);
        Algorithm.OuterMergeWork work = Algorithm.outerMergeWork(a, b, cfg, rowCounts);
        long[] bound = mergeBounds(work.slots(), cfg);
        int cores = cfg.cores();
        Integer[] order = new Integer[cores];
        for (int c = 0; c < cores; c++) {
            order[c] = c;
        }
        java.util.Arrays.sort(order, (x, y) -> Long.compare(bound[y], bound[x]));
        // the symbolic pass and the empty multiply phase: two chip barriers, every core
        PiumaModel.Staged staged = new PiumaModel(cfg, progress).staged(run, 2);
        long release = staged.release();
        long slowest = 0;
        double rho = 1;
        int simulated = 0;
        long counted = 0;
        for (int c : order) {
            double margin = Math.max(MIN_MARGIN, EXCESS_MARGIN * (rho - 1));
            if (simulated > 0 && release + bound[c] * (1 + margin) < slowest) {
                counted += account(staged, c, work, cfg);
                continue;
            }
            PiumaStats.Core core = staged.simulate(c);
            simulated++;
            slowest = Math.max(slowest, core.finishCycle());
            rho = Math.max(rho, (double) (core.finishCycle() - release) / Math.max(1, bound[c]));
        }
        return new Skeleton(run, staged.stats(), simulated, counted);
    }

    /**
     * Per core, a lower bound of its merge phase's span: the issue slots of its busiest pipeline,
     * given each hardware thread's slots ({@link Algorithm.OuterMergeWork#slots}); a pipeline issues
     * one slot a cycle.
     */
    static long[] mergeBounds(long[] threadSlots, PiumaConfig cfg) {
        int tpc = cfg.threadsPerCore();
        long[] bound = new long[cfg.cores()];
        for (int c = 0; c < bound.length; c++) {
            long[] pipe = new long[cfg.pipelinesPerCore()];
            for (int l = 0; l < tpc; l++) {
                pipe[PiumaModel.pipelineOf(cfg, l)] += threadSlots[c * tpc + l];
            }
            for (long x : pipe) {
                bound[c] = Math.max(bound[c], x);
            }
        }
        return bound;
    }

    /**
     * Core {@code c}'s merge given to the staged skeleton in closed form ({@link Algorithm#outerMergeWork};
     * the same counters as generating and counting its operations, tested); returns its operations.
     */
    static long account(PiumaModel.Staged staged, int c, Algorithm.OuterMergeWork w, PiumaConfig cfg) {
        int threads = cfg.threads();
        long[][] byKind = new long[threads][Op.KINDS];
        long[] write = w.storeWords();
        long ops = 0;
        for (int t = c * cfg.threadsPerCore(); t < (c + 1) * cfg.threadsPerCore(); t++) {
            byKind[t][Op.SPAD_LOAD] = w.spadLoads()[t];
            byKind[t][Op.LOAD_STREAM] = w.streamPieces()[t];
            byKind[t][Op.COMPUTE] = w.computeOps()[t];
            byKind[t][Op.STORE] = w.storePieces()[t];
            ops += w.spadLoads()[t] + w.streamPieces()[t] + w.computeOps()[t] + w.storePieces()[t];
        }
        staged.account(c, byKind, w.slots(), w.streamWords(), write, w.remoteSpadLoads());
        return ops;
    }

    /** One multiply-phase sample: its statistics and its scale to the whole phase (exact operations). */
    private record Sample(PiumaStats stats, double scale) {
        double scaled() {
            return stats.cycles() * scale;
        }
    }

    private static Sample multiply(Csr a, Csr at, Csr b, PiumaConfig cfg, double f, int salt, long wholeOps,
                                   AtomicLong progress) {
        long ops = Algorithm.outerMultiplyOpsByColumns(at, b, f, salt);
        SpgemmRun run = Algorithm.startOuterPhases(a, b, cfg, false, f, salt, false);
        PiumaStats s = new PiumaModel(cfg, progress).run(run);
        return new Sample(s, ops > 0 ? (double) wholeOps / ops : 1.0);
    }

    /**
     * The whole run's statistics as estimated: the skeleton's counters plus the multiply sample's
     * scaled by {@code k}, over {@code cycles}.
     */
    static PiumaStats combine(PiumaConfig cfg, PiumaStats skel, PiumaStats mul, double k, long cycles) {
        long[] byKind = new long[Op.KINDS];
        long ops = 0;
        for (int i = 0; i < Op.KINDS; i++) {
            byKind[i] = skel.ops(i) + Math.round(k * mul.ops(i));
            ops += byKind[i];
        }
        long slots = skel.issueSlots() + Math.round(k * mul.issueSlots());
        long dramAccesses = skel.dramAccesses() + Math.round(k * mul.dramAccesses());
        double active = (skel.threadActive() * skel.cycles() + mul.threadActive() * mul.cycles() * k)
                / Math.max(1, cycles);
        PiumaStats.Core[] per = new PiumaStats.Core[skel.perCore().length];
        for (int c = 0; c < per.length; c++) {
            PiumaStats.Core x = skel.perCore()[c];
            PiumaStats.Core y = mul.perCore()[c];
            per[c] = new PiumaStats.Core(c, x.ops() + Math.round(k * y.ops()),
                    x.issueSlots() + Math.round(k * y.issueSlots()),
                    x.atomicUnitOps() + Math.round(k * y.atomicUnitOps()),
                    x.dramAccesses() + Math.round(k * y.dramAccesses()),
                    x.finishCycle() + Math.round(k * y.finishCycle()));
        }
        int pipes = cfg.cores() * cfg.pipelinesPerCore();
        return new PiumaStats(cycles, byKind, ops, slots,
                skel.dramReadBytes() + Math.round(k * mul.dramReadBytes()),
                skel.dramWriteBytes() + Math.round(k * mul.dramWriteBytes()), dramAccesses,
                skel.cacheHits() + Math.round(k * mul.cacheHits()),
                skel.cacheMisses() + Math.round(k * mul.cacheMisses()),
                skel.atomicUnitOps() + Math.round(k * mul.atomicUnitOps()),
                skel.remoteOps() + Math.round(k * mul.remoteOps()),
                skel.barrierWaitCycles() + Math.round(k * mul.barrierWaitCycles()),
                (double) slots / ((double) pipes * cycles), Math.min(1.0, active),
                (double) dramAccesses / ((double) cfg.dramAccessesPerCycle() * cycles), per);
    }
}
