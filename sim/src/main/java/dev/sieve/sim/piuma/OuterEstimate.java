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
 * <p>The symbolic pass and the merge phase issue a few operations per row (the merge streams a
 * bucket in chunks of 4096 partials and charges its sort as one ALU operation), so they are
 * simulated whole, together, in a <em>skeleton</em> run whose multiply phase is empty: exact for
 * those phases, however skewed the rows. Without the multiply phase's atomics the cores share
 * nothing but the barriers, so the skeleton is simulated core by core (several times faster on
 * the host; same cycles, tested). Nearly all operations are the multiply phase's (two per
 * partial product), and it alone is sampled: every thread keeps all its columns of A and takes a
 * systematic sample of fraction {@code f} of each column's entries with a random start
 * ({@link Algorithm#startOuterPhases}); all entries of a column cost the same (B's row k), so every
 * column and every thread keeps very nearly the fraction f of its work, with the whole run's
 * concurrency, addresses and atomic targets. A sample's span scaled by the multiply phase's exact
 * operations over the sample's lies above the whole phase by a cost that does not shrink with the
 * work (each column's pointer loads and its first, missing, pass over B's row; the tail), and that
 * excess at least doubled with every halving of the fraction wherever it was measurable (R-MAT
 * 10-13, bcsstk13, cryg2500 at 1/2 to 1/16). So with replicates {@code S0, S1} at f and {@code H}
 * at f/2 (scaled), the excess at f lies between 0 and {@code d = H - (S0 + S1)/2}: the multiply
 * phase is estimated at {@code (S0 + S1)/2 - d/2}, with an error of {@code d/2} plus the spread of
 * the replicates plus {@link #COUPLING} of the phase for what the phases pass on to each other.
 * Measured against whole runs the excess lay between 0.14 and 0.81 of {@code d}.
 *
 * <p>Budget: the skeleton runs first; the three samples take 2.5 f of the multiply phase's
 * operations, f chosen so that everything fits the budget.
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

    /** Samples' cost in multiply phases at fraction f: two replicates at f and one at f/2. */
    public static final double SAMPLE_COST = 2.5;

    /** The estimate's parts, for tests and the README's measurements. */
    record Parts(long skeleton, double s0, double s1, double half, double multiply, double error, double f,
                 long opsSimulated) {
    }

    /**
     * The multiply fraction for a budget of {@code maxOps} operations when the skeleton took
     * {@code skeletonOps} and the whole multiply phase issues {@code multiplyOps}: the remaining
     * budget over {@link #SAMPLE_COST} phases, at most 1/2, at least {@link #MIN_FRACTION}.
     */
    static double fraction(double maxOps, long skeletonOps, long multiplyOps) {
        double f = (maxOps - skeletonOps) / (SAMPLE_COST * Math.max(1, multiplyOps));
        return Math.max(MIN_FRACTION, Math.min(0.5, f));
    }

    /**
     * {@link #fraction}, lowered in steps of 2 % until the three samples' operations, counted exactly
     * ({@link Algorithm#outerMultiplyOps}: each column keeps {@code floor(f L + u)} entries, a little
     * more than {@code f L} at times), fit what the skeleton left of the budget.
     */
    static double fitted(Csr a, Csr b, double maxOps, long skeletonOps, long multiplyOps) {
        double f = fraction(maxOps, skeletonOps, multiplyOps);
        while (f > MIN_FRACTION && skeletonOps + Algorithm.outerMultiplyOps(a, b, f, 0)
                + Algorithm.outerMultiplyOps(a, b, f, 1) + Algorithm.outerMultiplyOps(a, b, f / 2, 0) > maxOps) {
            f = Math.max(MIN_FRACTION, f * 0.98);
        }
        return f;
    }

    /** The estimate within a budget of {@code maxOps} operations. */
    static SpgemmSimulation.Result run(Csr a, Csr b, PiumaConfig cfg, double maxOps, int hostThreads,
                                       AtomicLong progress, long start) {
        return run(a, b, cfg, maxOps, -1, hostThreads, progress, start);
    }

    /**
     * The estimate with the multiply phase sampled at {@code forcedFraction} (in (0, 1/2]), or at
     * the budget's fraction when it is not positive.
     */
    static SpgemmSimulation.Result run(Csr a, Csr b, PiumaConfig cfg, double maxOps, double forcedFraction,
                                       int hostThreads, AtomicLong progress, long start) {
        SpgemmRun skelRun = Algorithm.startOuterPhases(a, b, cfg, true, 0, 0, true);
        // core-local: core by core, on up to hostThreads host threads
        PiumaStats skel = new PiumaModel(cfg, progress).run(skelRun, hostThreads);
        long mulOps = Algorithm.outerMultiplyOps(a, b, 1, 0);
        double f = forcedFraction > 0 ? forcedFraction : fitted(a, b, maxOps, skel.ops(), mulOps);
        if (!(f > 0 && f <= 0.5)) {
            throw new IllegalArgumentException("outer multiply fraction must lie in (0, 1/2], got " + f);
        }
        Sample r0 = multiply(a, b, cfg, f, 0, mulOps, progress);
        Sample r1 = multiply(a, b, cfg, f, 1, mulOps, progress);
        Sample h = multiply(a, b, cfg, f / 2, 0, mulOps, progress);
        double s0 = r0.scaled();
        double s1 = r1.scaled();
        double mean = (s0 + s1) / 2;
        double d = Math.max(0, h.scaled() - mean);
        double multiply = Math.max(0, mean - d / 2);
        double error = d / 2 + Math.abs(s0 - s1) + COUPLING * multiply;
        long estimate = Math.max(1, Math.round(skel.cycles() + multiply));
        long lo = Math.max(0, Math.round(estimate - error));
        long hi = Math.round(estimate + error);
        long simulated = skel.ops() + r0.stats.ops() + r1.stats.ops() + h.stats.ops();
        PiumaStats stats = combine(cfg, skel, r0.stats, r0.scale, estimate);
        double wall = (System.nanoTime() - start) / 1e9;
        setLast(new Parts(skel.cycles(), s0, s1, h.scaled(), multiply, error, f, simulated));
        // the outer product writes every multiply-add as a partial product, and probes no hash table
        return new SpgemmSimulation.Result(Algorithm.OUTER, stats, f, 1.0, skelRun.flops(), -1, 0, 0, skelRun.flops(), 0,
                skelRun.spadPeakBytes(), wall, null, lo, hi, estimate, simulated);
    }

    /** The parts of the last estimate made on this host thread (for tests and measurements). */
    static Parts lastParts() {
        return LAST.get();
    }

    private static final ThreadLocal<Parts> LAST = new ThreadLocal<>();

    private static void setLast(Parts p) {
        LAST.set(p);
    }

    /** One multiply-phase sample: its statistics and its scale to the whole phase (exact operations). */
    private record Sample(PiumaStats stats, double scale) {
        double scaled() {
            return stats.cycles() * scale;
        }
    }

    private static Sample multiply(Csr a, Csr b, PiumaConfig cfg, double f, int salt, long wholeOps,
                                   AtomicLong progress) {
        long ops = Algorithm.outerMultiplyOps(a, b, f, salt);
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
