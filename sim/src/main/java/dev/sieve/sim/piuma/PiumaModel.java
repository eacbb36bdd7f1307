package dev.sieve.sim.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.concurrent.HostThreads;
import dev.sieve.dataflow.piuma.Op;
import dev.sieve.dataflow.piuma.ThreadProgram;
import dev.sieve.dataflow.piuma.ThreadStreams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cycle-level model of a PIUMA chip running one operation stream per hardware thread
 * ({@link ThreadStreams}: an SpGEMM run, or streams written by hand).
 *
 * <p><b>Pipelines.</b> Each pipeline issues at most one operation per cycle, choosing round-robin
 * among its threads whose previous operation has completed (in-order threads, one operation in
 * flight each). An operation holds the pipeline for its ALU cycles plus one issue slot; its
 * memory request leaves in the last of them. A thread blocked on memory frees the pipeline for
 * the others: that is the latency hiding.
 *
 * <p><b>Memory.</b> Cached DRAM loads look up a set-associative cache per core (lines of
 * {@code cacheLineBytes}, a power-of-two number of sets, the odd factor of the line count as ways,
 * round-robin replacement; a hit on a line still being filled waits for the fill). Each core has
 * its own DRAM channel with an equal share of the chip's {@code dramBytesPerCycle /
 * dramAccessBytes} accesses per cycle (PIUMA puts a memory controller beside every core; where
 * data live is not modelled), first come first served, then the DRAM latency. Stores and posted
 * atomics release the thread once their DRAM
 * slot or atomic-unit slot is granted (so a saturated resource back-pressures them). Scratchpad
 * accesses take the SPAD latency per word (a two-word load is two dependent accesses; banked, no
 * conflicts modelled), plus a network round trip when the SPAD is another core's.
 *
 * <p><b>Atomics.</b> Each core's atomic unit starts {@code atomicsPerCyclePerCore} operations per
 * cycle; operations on the same address serialize (the next starts when the previous
 * read-modify-write finished), tracked in a 4096-entry table per core.
 *
 * <p><b>Barriers.</b> A thread waits until every live thread of the scope (its core or the chip)
 * has arrived; all leave together a SPAD latency (core) or a network round trip (chip) after the
 * last arrival.
 *
 * <p><b>Events.</b> Pipelines sit in a {@link PipelineQueue} (a scan of due cycles for one core's
 * pipelines, a {@link CalendarQueue} for a whole chip's) at a lower bound of the cycle at which
 * they can next issue (after an issue: the cycle the pipeline is free again); a pipeline that
 * comes up either issues, or, when none of its threads is ready yet, is rescheduled at the later
 * of its free cycle and its earliest ready thread. Pipelines due in the same cycle go in index
 * order. Idle cycles and idle threads cost nothing.
 *
 * <p><b>Host speed.</b> The engine is bound by the latency of its host memory reads, so it keeps
 * them short and off the path from one event to the next: the ready threads of a pipeline come
 * from one branch-free pass over their ready cycles, each thread's next operation is read ahead
 * when it issues (if generated already, so that shared work is still taken in simulated order),
 * and a cache lookup reads one {@code long} per way, the line's tag and its fill cycle together.
 * Selects that depend on simulated data (a resource's next free slot, the atomic unit's
 * same-address wait, the way that hits) are computed without host branches ({@link #max},
 * {@link #equalMask}), which the host cannot predict.
 *
 * <p><b>Core by core.</b> When the streams are {@linkplain ThreadStreams#coreLocal() core-local} (its cores
 * share only the chip barriers) each core is simulated by its own engine up to the next chip
 * barrier, the engines on up to {@code hostThreads} host threads, and the barrier is released
 * from all of them: the result is the same as one engine for the chip (tested), only faster. A
 * {@linkplain #staged staged} run stops every core at a chip barrier and lets the caller simulate the
 * last phase on the cores it chooses, and count the others' (the outer product's merge, decided by
 * its slowest core).
 */
public final class PiumaModel {
    private static final long NEVER = Long.MAX_VALUE / 4;
    private static final int BUSY_TABLE = 4096;
    /**
     * Fewest bits of fill cycle a packed cache entry may have: 2^39 cycles (5.5 * 10^11, about a
     * hundred times the longest run simulated here; a longer one fails with a message). Caches with
     * more tag bits than the default machine's keep tags and fills apart.
     */
    static final int MIN_FILL_BITS = 39;

    /** Operations an engine issues between two reports to the progress counter. */
    private static final int REPORT_EVERY = 1 << 16;

    private final PiumaConfig cfg;
    /** Operations issued so far, for a progress display (null: not counted). */
    private final AtomicLong progress;
    /** Whether the engines' caches may pack a way's tag and fill cycle into one {@code long}. */
    private final boolean packCache;

    public PiumaModel(PiumaConfig cfg) {
        this(cfg, null);
    }

    /**
     * A model that adds the operations it issues to {@code progress} as it goes (in steps of
     * {@value #REPORT_EVERY}, the rest at the end of each engine's phase), for a progress display
     * read from another host thread; null counts nothing.
     */
    public PiumaModel(PiumaConfig cfg, AtomicLong progress) {
        this(cfg, progress, true);
    }

    /**
     * A model whose cache keeps tags and fill cycles apart even where they would pack into one
     * {@code long} ({@code packCache} false): the same cycles, for a test of the packed layout.
     */
    PiumaModel(PiumaConfig cfg, AtomicLong progress, boolean packCache) {
        this.cfg = cfg;
        this.progress = progress;
        this.packCache = packCache;
    }

    public PiumaConfig config() {
        return cfg;
    }

    /**
     * Simulates {@code run} to completion on one host thread; an SpGEMM run then holds the product
     * and its counters.
     */
    public PiumaStats run(ThreadStreams run) {
        return run(run, 1);
    }

    /**
     * Simulates {@code run} to completion; a core-local run is simulated core by core on up to
     * {@code hostThreads} host threads (same result for any count).
     */
    public PiumaStats run(ThreadStreams run, int hostThreads) {
        check(run, hostThreads);
        return run.coreLocal() ? byCore(run, hostThreads) : wholeChip(run);
    }

    /**
     * Sets of a core's cache: a power of two; the odd factor of the line count becomes the ways
     * (192 KiB of 8-byte lines: 8192 sets x 3 ways), or one way when that factor exceeds 16.
     */
    static int sets(PiumaConfig cfg) {
        int totalLines = (int) (cfg.cacheBytesPerCore() / cfg.cacheLineBytes());
        if (totalLines == 0) {
            return 0;
        }
        int odd = totalLines >> Integer.numberOfTrailingZeros(totalLines);
        return odd <= 16 ? totalLines / odd : Integer.highestOneBit(totalLines);
    }

    /**
     * Bits left for the fill cycle in a packed cache way: a line has 40 - lineShift bits (operation
     * addresses are 40 bits), its tag is the line above the set bits, stored + 1.
     */
    static int fillBits(int lineShift, int setBits) {
        return 64 - (40 - lineShift - setBits + 1);
    }

    /** Whether the engines pack each cache way of {@code cfg} into one {@code long}. */
    static boolean packsCache(PiumaConfig cfg) {
        int sets = sets(cfg);
        return sets > 0 && fillBits(Integer.numberOfTrailingZeros(cfg.cacheLineBytes()),
                Integer.numberOfTrailingZeros(sets)) >= MIN_FILL_BITS;
    }

    /** One engine for the whole chip (any run; the reference for the core-by-core engines). */
    PiumaStats wholeChip(ThreadStreams run) {
        Engine e = new Engine(run, 0, cfg.cores(), false);
        e.runUntilIdle();
        if (e.done < e.ownThreads) {
            throw new IllegalStateException(e.ownThreads - e.done + " threads wait at barriers that cannot complete");
        }
        return merge(List.of(e));
    }

    /** One engine per core, run phase by phase (a phase ends at a chip barrier). */
    private PiumaStats byCore(ThreadStreams run, int hostThreads) {
        List<Engine> engines = new ArrayList<>();
        for (int c = 0; c < cfg.cores(); c++) {
            engines.add(new Engine(run, c, c + 1, true));
        }
        ExecutorService pool = hostThreads > 1 ? HostThreads.pool(Math.min(hostThreads, cfg.cores()), "piuma-core") : null;
        try {
            while (true) {
                runAll(engines, pool);
                int done = 0;
                for (Engine e : engines) {
                    done += e.done;
                }
                if (done == cfg.threads()) {
                    break;
                }
                if (releaseChipBarrier(engines) < 0) {
                    throw new IllegalStateException(cfg.threads() - done + " threads wait at barriers that cannot complete");
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return merge(engines);
    }

    /**
     * Simulates only {@code cores} (distinct core indices) of a core-local run that has no chip
     * barrier, each by its own engine, on up to {@code hostThreads} host threads; the programs of
     * the other cores are never asked for, so their streams are never generated. A core of such a
     * run shares nothing with the others (its own cache, its own DRAM channel, no barrier), so each
     * core's statistics are exactly those of the whole-chip run ({@link PiumaStats#perCore}, tested),
     * and the chip's cycles are the largest finish cycle of all its cores. Returns one entry per
     * requested core, in the order given.
     *
     * @throws IllegalArgumentException when the run is not core-local, or a core index is repeated or
     *                                  out of range
     * @throws IllegalStateException    when a thread reaches a chip barrier (it could not be released)
     */
    public PiumaStats.Core[] runCores(ThreadStreams run, int[] cores, int hostThreads) {
        check(run, hostThreads);
        if (!run.coreLocal()) {
            throw new IllegalArgumentException("only a core-local run can be simulated core by core");
        }
        boolean[] seen = new boolean[cfg.cores()];
        for (int c : cores) {
            if (c < 0 || c >= cfg.cores() || seen[c]) {
                throw new IllegalArgumentException("core " + c + " is out of range 0.." + (cfg.cores() - 1)
                        + " or repeated");
            }
            seen[c] = true;
        }
        // engines are made on this thread: a run hands out its programs lazily, not from several threads
        List<Engine> engines = new ArrayList<>();
        for (int c : cores) {
            engines.add(new Engine(run, c, c + 1, true));
        }
        ExecutorService pool = hostThreads > 1 && engines.size() > 1
                ? HostThreads.pool(Math.min(hostThreads, engines.size()), "piuma-core") : null;
        try {
            runAll(engines, pool);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        PiumaStats.Core[] out = new PiumaStats.Core[cores.length];
        for (int k = 0; k < cores.length; k++) {
            Engine e = engines.get(k);
            int c = cores[k];
            if (e.done < e.ownThreads) {
                throw new IllegalStateException("core " + c + ": " + (e.ownThreads - e.done)
                        + " threads wait at a chip barrier, which a core simulated alone cannot release");
            }
            out[k] = e.coreStats(c);
        }
        return out;
    }

    /**
     * A core-local run simulated core by core through its first {@code barriers} chip barriers on
     * every core; after the last of them each core goes on only when the caller asks
     * ({@link Staged#simulate}, or {@link Staged#count} for its counters without timing). For a last
     * phase that a few cores decide (the outer product's merge, see {@link OuterEstimate}): the chip's
     * cycles are the slowest core's, and the other cores need not be simulated.
     *
     * @throws IllegalArgumentException when the run is not core-local or {@code barriers} is negative
     * @throws IllegalStateException    when the threads end or wait forever before the last barrier
     */
    Staged staged(ThreadStreams run, int barriers) {
        check(run, 1);
        if (!run.coreLocal() || barriers < 0) {
            throw new IllegalArgumentException("a staged run needs core-local streams and barriers >= 0, got "
                    + run.coreLocal() + ", " + barriers);
        }
        List<Engine> engines = new ArrayList<>();
        for (int c = 0; c < cfg.cores(); c++) {
            engines.add(new Engine(run, c, c + 1, true));
        }
        long release = 0;
        for (int b = 0; b < barriers; b++) {
            runAll(engines, null);
            release = releaseChipBarrier(engines);
            if (release < 0) {
                throw new IllegalStateException("chip barrier " + (b + 1) + " of " + barriers
                        + " is not reached by every live thread");
            }
        }
        return new Staged(engines, release);
    }

    /**
     * Releases the chip barrier of core-by-core engines once every live thread of theirs has reached
     * it, a network round trip after the last arrival; returns that cycle, or -1 (nothing released)
     * when no thread or not every live thread has arrived.
     */
    private long releaseChipBarrier(List<Engine> engines) {
        int chip = cfg.cores();
        int arrived = 0;
        int live = 0;
        long last = 0;
        for (Engine e : engines) {
            arrived += e.arrived[chip];
            live += e.live[chip];
            last = Math.max(last, e.lastArrival[chip]);
        }
        if (arrived == 0 || arrived < live) {
            return -1;
        }
        long release = last + 2L * cfg.networkLatencyCycles();
        for (Engine e : engines) {
            e.release(chip, release);
        }
        return release;
    }

    /**
     * A core-local run past its first chip barriers ({@link #staged}): each core's last phase is
     * simulated, counted without timing, or neither.
     */
    final class Staged {
        private final List<Engine> engines;
        private final long release;
        /** Per core: 0 not yet run, 1 simulated, 2 counted. */
        private final byte[] state;

        private Staged(List<Engine> engines, long release) {
            this.engines = engines;
            this.release = release;
            this.state = new byte[engines.size()];
        }

        /** The cycle at which the last barrier released the threads: the last phase's start. */
        long release() {
            return release;
        }

        /**
         * Simulates core {@code c}'s last phase to its end; its statistics, exactly those of the
         * whole run's core {@code c} (its cores share only the chip barriers).
         *
         * @throws IllegalStateException when the core already ran, or a thread reaches another chip barrier
         */
        PiumaStats.Core simulate(int c) {
            Engine e = take(c, 1);
            e.runUntilIdle();
            if (e.done < e.ownThreads) {
                throw new IllegalStateException("core " + c + ": " + (e.ownThreads - e.done)
                        + " threads wait at a chip barrier after the last one staged");
            }
            return e.coreStats(c);
        }

        /**
         * Core {@code c}'s last phase counted without timing: every operation's kind, issue slots,
         * DRAM words and remote target, as the engine would count them. Only operations whose counters
         * do not depend on timing may occur: streamed loads, stores, scratchpad accesses and
         * computation. Each thread's finish cycle, which only a simulation gives, is estimated as if
         * its pipeline were shared fairly without stalls: the release plus, for the threads of a
         * pipeline in order of their issue slots {@code w1 <= w2 <= ...}, thread k's
         * {@code w1 + ... + w(k-1) + (n - k + 1) wk} (processor sharing among n threads).
         *
         * @return the operations counted
         * @throws IllegalStateException when the core already ran, or an operation of another kind occurs
         */
        long count(int c) {
            Engine e = take(c, 2);
            long before = e.coreOps[c];
            long[] slots = new long[e.threads];
            boolean[] ran = new boolean[e.threads];
            for (int t = e.firstThread; t < e.endThread; t++) {
                if (e.readyAt[t] >= NEVER) {
                    continue; // ended before the release
                }
                ran[t] = true;
                long op = e.ahead[t] != ThreadProgram.NOT_BUFFERED ? e.ahead[t] : e.program[t].next();
                e.ahead[t] = ThreadProgram.NOT_BUFFERED;
                for (; op != Op.END; op = e.program[t].next()) {
                    slots[t] += e.tally(c, op);
                }
                e.readyAt[t] = NEVER;
                e.done++;
            }
            e.finishShared(ran, slots, release);
            e.report();
            return e.coreOps[c] - before;
        }

        /**
         * Core {@code c}'s last phase given by counts the caller derived without simulating (and
         * without generating its operations), per thread {@code t} of the core: {@code opsByKind[t]}
         * operations by {@link Op} kind, {@code slots[t]} issue slots, {@code readWords[t]} and
         * {@code writeWords[t]} DRAM words, {@code remote[t]} operations addressed to another core.
         * Counters and finish cycles as {@link #count} sets them; the threads' programs are left
         * where the release found them. For a phase whose operations are known in closed form (the
         * outer product's merge, {@link dev.sieve.dataflow.piuma.Algorithm#outerMergeWork}), tested
         * against {@link #count}.
         *
         * @throws IllegalStateException when the core already ran
         */
        void account(int c, long[][] opsByKind, long[] slots, long[] readWords, long[] writeWords, long[] remote) {
            Engine e = take(c, 2);
            boolean[] ran = new boolean[e.threads];
            for (int t = e.firstThread; t < e.endThread; t++) {
                if (e.readyAt[t] >= NEVER) {
                    continue; // ended before the release
                }
                ran[t] = true;
                long ops = 0;
                for (int k = 0; k < Op.KINDS; k++) {
                    e.opsByKind[k] += opsByKind[t][k];
                    ops += opsByKind[t][k];
                }
                e.coreOps[c] += ops;
                if (progress != null) {
                    progress.addAndGet(ops);
                }
                e.slots += slots[t];
                e.coreSlots[c] += slots[t];
                long words = readWords[t] + writeWords[t];
                e.dramRead += readWords[t] * e.accessBytes;
                e.dramWrite += writeWords[t] * e.accessBytes;
                e.dramAccesses += words;
                e.coreDram[c] += words;
                e.remote += remote[t];
                e.readyAt[t] = NEVER;
                e.done++;
            }
            e.finishShared(ran, slots, release);
        }

        /** The statistics of every core: the simulated and counted last phases, the others up to the release. */
        PiumaStats stats() {
            return merge(engines);
        }

        private Engine take(int c, int how) {
            if (state[c] != 0) {
                throw new IllegalStateException("core " + c + " of the staged run has already been "
                        + (state[c] == 1 ? "simulated" : "counted"));
            }
            state[c] = (byte) how;
            return engines.get(c);
        }
    }

    /**
     * The pipeline of core-local thread {@code local} (0 to {@code threadsPerCore - 1}) within its
     * core, as the engines deal them: {@code threadsPerMtPipeline} consecutive threads to each
     * multi-threaded pipeline, then one to each single-threaded one.
     */
    static int pipelineOf(PiumaConfig cfg, int local) {
        int tpm = cfg.threadsPerMtPipeline();
        int mtThreads = cfg.mtPipelinesPerCore() * tpm;
        return local < mtThreads ? local / tpm : cfg.mtPipelinesPerCore() + (local - mtThreads);
    }

    /** Refuses streams written for another machine and a host thread count below one. */
    private void check(ThreadStreams run, int hostThreads) {
        if (!run.config().equals(cfg)) {
            throw new IllegalArgumentException("the streams were written for another machine: " + run.config());
        }
        if (hostThreads < 1) {
            throw new IllegalArgumentException("hostThreads = " + hostThreads + "; allowed 1 or more");
        }
    }

    /** Runs every engine until it is idle: on this thread when {@code pool} is null, else on the pool. */
    private static void runAll(List<Engine> engines, ExecutorService pool) {
        if (pool == null) {
            engines.forEach(Engine::runUntilIdle);
            return;
        }
        List<Future<?>> fs = new ArrayList<>();
        for (Engine e : engines) {
            fs.add(pool.submit(e::runUntilIdle));
        }
        fs.forEach(HostThreads::await);
    }

    /** The statistics of the engines together (each covers its own cores). */
    private PiumaStats merge(List<Engine> engines) {
        int cores = cfg.cores();
        long cycles = 1;
        for (Engine e : engines) {
            for (int t = e.firstThread; t < e.endThread; t++) {
                cycles = Math.max(cycles, e.finish[t]);
            }
            for (int p = e.firstPipe; p < e.endPipe; p++) {
                cycles = Math.max(cycles, e.pipeFree[p]);
            }
        }
        long[] opsByKind = new long[Op.KINDS];
        long slots = 0;
        long dramRead = 0;
        long dramWrite = 0;
        long dramAccesses = 0;
        long hits = 0;
        long misses = 0;
        long atomOps = 0;
        long remote = 0;
        long barrierWait = 0;
        double active = 0;
        PiumaStats.Core[] per = new PiumaStats.Core[cores];
        for (Engine e : engines) {
            for (int k = 0; k < Op.KINDS; k++) {
                opsByKind[k] += e.opsByKind[k];
            }
            slots += e.slots;
            dramRead += e.dramRead;
            dramWrite += e.dramWrite;
            dramAccesses += e.dramAccesses;
            hits += e.hits;
            misses += e.misses;
            atomOps += e.atomOps;
            remote += e.remote;
            barrierWait += e.barrierWait;
            for (int t = e.firstThread; t < e.endThread; t++) {
                active += (double) e.finish[t] / cycles;
            }
            for (int c = e.firstCore; c < e.endCore; c++) {
                per[c] = e.coreStats(c);
            }
        }
        long ops = 0;
        for (long o : opsByKind) {
            ops += o;
        }
        int pipes = cores * cfg.pipelinesPerCore();
        return new PiumaStats(cycles, opsByKind, ops, slots, dramRead, dramWrite, dramAccesses, hits, misses, atomOps,
                remote, barrierWait, (double) slots / ((double) pipes * cycles), active / cfg.threads(),
                (double) dramAccesses / ((double) cfg.dramAccessesPerCycle() * cycles), per);
    }

    /**
     * The larger of two cycles (or cycle units) without a host branch: {@code a} and {@code b} lie
     * in [0, 2^62), so their difference does not overflow. The engine's selects depend on simulated
     * data the host cannot predict (each mispredicted branch costs as much as many instructions),
     * and C2 turns a conditional into a conditional move only inside loops it compiles.
     */
    static long max(long a, long b) {
        long d = a - b;
        return a - (d & (d >> 63));
    }

    /** All ones when {@code a == b}, else 0, without a host branch. */
    static long equalMask(long a, long b) {
        long x = a ^ b;
        return ~((x | -x) >> 63);
    }

    /** The threads and pipelines of cores {@code [firstCore, endCore)}; arrays are indexed chip-wide. */
    private final class Engine {
        final int cores = cfg.cores();
        final int tpc = cfg.threadsPerCore();
        final int threads = cfg.threads();
        final int ppc = cfg.pipelinesPerCore();
        final int pipes = cores * ppc;
        final int firstCore;
        final int endCore;
        final int firstThread;
        final int endThread;
        final int firstPipe;
        final int endPipe;
        final int ownThreads;
        /** Chip barriers are released by the caller (core-by-core runs), not by this engine. */
        final boolean chipBarrierOutside;
        int done;
        final ThreadProgram[] program;
        /** Per thread: its next operation read ahead, or {@link ThreadProgram#NOT_BUFFERED}. */
        final long[] ahead;
        final long[] readyAt;
        final int[] barrierScope;
        final long[] arrivedAt;
        final long[] finish;
        final int[] pipeOf;
        /** The core of each thread (a table: the hot loop avoids a division). */
        final int[] coreOf;
        final int[] pipeFirst;
        final int[] pipeCount;
        final long[] pipeFree;
        final int[] rr;
        final PipelineQueue queue;
        // memory
        final int lineShift;
        final int sets;
        final int ways;
        final int setMask;
        /**
         * Per core, per set and way, one {@code long}: the line's tag + 1 (0 = empty) above
         * {@link #fillBits} bits of the cycle its fill completes. The set and the tag (the line
         * above the set bits) name the line, so a lookup reads one host cache line or two and a hit
         * needs no second read. Used when the fill field holds at least {@link #MIN_FILL_BITS} bits
         * (the default machine: 39); other caches use {@link #tags} and {@link #fills}.
         */
        final long[][] packed;
        /** Bits of fill cycle in a packed entry, and their mask. */
        final int fillBits;
        final long fillMask;
        /** log2 of the number of sets. */
        final int setBits;
        /**
         * Caches with too many tag bits to pack: per core, per set and way, the low 32 bits of the
         * line + 1 (0 = empty); a match is confirmed against the whole line.
         */
        final int[][] tags;
        /** Per core, per set and way: the line + 1 and the cycle its fill completes (read on hits). */
        final long[][] fills;
        final byte[][] victim;
        final int lineWords;
        final long dramK;
        /** Per core: the next free unit of its DRAM channel (units of 1/dramK cycle; an access takes {@code cores}). */
        final long[] dramNext;
        final int accessBytes;
        final long atomK;
        /** log2 of dramK and atomK when they are powers of two (a shift, not a division, in the hot path), else -1. */
        final int dramShift;
        final int atomShift;
        final long[] atomNext;
        final long[][] busyAddr;
        final long[][] busyUntil;
        final int net = cfg.networkLatencyCycles();
        final int spadLat = cfg.spadLatencyCycles();
        final int cacheLat = cfg.cacheLatencyCycles();
        final int dramLat = cfg.dramLatencyCycles();
        final int atomLat = cfg.atomicLatencyCycles();
        // barriers: scope index cores = chip
        final int[] live;
        final int[] arrived;
        final long[] lastArrival;
        // statistics
        final long[] opsByKind = new long[Op.KINDS];
        long slots;
        long dramRead;
        long dramWrite;
        long dramAccesses;
        long hits;
        long misses;
        long atomOps;
        long remote;
        long barrierWait;
        /** Operations issued and not yet added to the progress counter. */
        int unreported;
        final long[] coreOps;
        final long[] coreSlots;
        final long[] coreAtom;
        final long[] coreDram;

        Engine(ThreadStreams run, int firstCore, int endCore, boolean chipBarrierOutside) {
            this.firstCore = firstCore;
            this.endCore = endCore;
            this.firstThread = firstCore * tpc;
            this.endThread = endCore * tpc;
            this.firstPipe = firstCore * ppc;
            this.endPipe = endCore * ppc;
            this.ownThreads = endThread - firstThread;
            this.chipBarrierOutside = chipBarrierOutside;
            program = new ThreadProgram[threads];
            ahead = new long[threads];
            Arrays.fill(ahead, ThreadProgram.NOT_BUFFERED);
            for (int t = firstThread; t < endThread; t++) {
                program[t] = run.program(t);
            }
            readyAt = new long[threads];
            barrierScope = new int[threads];
            java.util.Arrays.fill(barrierScope, -1);
            arrivedAt = new long[threads];
            finish = new long[threads];
            pipeOf = new int[threads];
            coreOf = new int[threads];
            for (int t = 0; t < threads; t++) {
                coreOf[t] = t / tpc;
            }
            pipeFirst = new int[pipes];
            pipeCount = new int[pipes];
            pipeFree = new long[pipes];
            rr = new int[pipes];
            int tpm = cfg.threadsPerMtPipeline();
            for (int c = 0; c < cores; c++) {
                for (int m = 0; m < ppc; m++) {
                    int p = c * ppc + m;
                    boolean mt = m < cfg.mtPipelinesPerCore();
                    pipeFirst[p] = c * tpc + (mt ? m * tpm : cfg.mtPipelinesPerCore() * tpm + (m - cfg.mtPipelinesPerCore()));
                    pipeCount[p] = mt ? tpm : 1;
                    for (int k = 0; k < pipeCount[p]; k++) {
                        pipeOf[pipeFirst[p] + k] = p;
                        assert pipelineOf(cfg, pipeFirst[p] + k - c * tpc) == m;
                    }
                }
            }
            queue = PipelineQueue.of(pipes, firstPipe, endPipe);
            for (int p = firstPipe; p < endPipe; p++) {
                queue.set(p, 0);
            }
            lineShift = Integer.numberOfTrailingZeros(cfg.cacheLineBytes());
            sets = sets(cfg);
            ways = sets == 0 ? 0 : (int) (cfg.cacheBytesPerCore() / cfg.cacheLineBytes()) / sets;
            setMask = Math.max(0, sets - 1);
            setBits = Integer.numberOfTrailingZeros(Math.max(1, sets));
            fillBits = fillBits(lineShift, setBits);
            fillMask = fillBits >= 63 ? Long.MAX_VALUE : (1L << fillBits) - 1;
            boolean pack = packCache && sets > 0 && fillBits >= MIN_FILL_BITS;
            packed = new long[cores][];
            tags = new int[cores][];
            fills = new long[cores][];
            victim = new byte[cores][];
            for (int c = firstCore; c < endCore; c++) {
                if (pack) {
                    packed[c] = new long[sets * ways];
                } else {
                    tags[c] = new int[sets * ways];
                    fills[c] = new long[2 * sets * ways];
                }
                victim[c] = new byte[sets];
            }
            lineWords = Math.max(1, cfg.cacheLineBytes() / cfg.dramAccessBytes());
            dramK = cfg.dramAccessesPerCycle();
            dramNext = new long[cores];
            accessBytes = cfg.dramAccessBytes();
            atomK = cfg.atomicsPerCyclePerCore();
            dramShift = Long.bitCount(dramK) == 1 ? Long.numberOfTrailingZeros(dramK) : -1;
            atomShift = Long.bitCount(atomK) == 1 ? Long.numberOfTrailingZeros(atomK) : -1;
            atomNext = new long[cores];
            busyAddr = new long[cores][BUSY_TABLE];
            busyUntil = new long[cores][BUSY_TABLE];
            for (long[] b : busyAddr) {
                Arrays.fill(b, -1);
            }
            live = new int[cores + 1];
            arrived = new int[cores + 1];
            lastArrival = new long[cores + 1];
            for (int c = firstCore; c < endCore; c++) {
                live[c] = tpc;
            }
            live[cores] = ownThreads;
            coreOps = new long[cores];
            coreSlots = new long[cores];
            coreAtom = new long[cores];
            coreDram = new long[cores];
        }

        /** Core {@code c}'s counters and finish cycle (the last of its threads to end). */
        PiumaStats.Core coreStats(int c) {
            long f = 0;
            for (int t = c * tpc; t < (c + 1) * tpc; t++) {
                f = Math.max(f, finish[t]);
            }
            return new PiumaStats.Core(c, coreOps[c], coreSlots[c], coreAtom[c], coreDram[c], f);
        }

        /**
         * Issues until no pipeline has anything to do: every thread has ended, or waits at a barrier
         * this engine does not release.
         */
        void runUntilIdle() {
            try {
                issueUntilIdle();
            } finally {
                report();
            }
        }

        /** Adds the operations issued since the last report to the progress counter. */
        private void report() {
            if (progress != null && unreported > 0) {
                progress.addAndGet(unreported);
            }
            unreported = 0;
        }

        private void issueUntilIdle() {
            while (done < ownThreads) {
                int p = queue.pop();
                if (p < 0) {
                    return;
                }
                long now = queue.now();
                int first = pipeFirst[p];
                int n = pipeCount[p];
                // round robin: the first ready thread at or after rr[p], wrapping around. The ready
                // threads as a bit mask, without branches (readyAt <= now iff readyAt - now - 1 < 0)
                long ready = 0;
                for (int k = 0; k < n; k++) {
                    ready |= ((readyAt[first + k] - now - 1) >>> 63) << k;
                }
                if (ready == 0) {
                    // the schedule was only a lower bound: every thread is still waiting
                    schedule(p, keyOf(p));
                    continue;
                }
                long after = ready & (-1L << rr[p]);
                int idx = Long.numberOfTrailingZeros(after != 0 ? after : ready);
                int th = first + idx;
                rr[p] = idx + 1 == n ? 0 : idx + 1;
                long op = ahead[th];
                if (op == ThreadProgram.NOT_BUFFERED) {
                    op = program[th].next();
                }
                if (op == Op.END) {
                    readyAt[th] = NEVER;
                    finish[th] = now;
                    done++;
                    int c = coreOf[th];
                    live[c]--;
                    live[cores]--;
                    tryRelease(c);
                    tryRelease(cores);
                    schedule(p, keyOf(p));
                    continue;
                }
                execute(th, p, now, op);
                // read the thread's next operation now, off the path of its next issue (only when
                // generated already: generating it now would take shared work early)
                ahead[th] = program[th].nextBuffered();
                // a lower bound of the next issue cycle; corrected when the pipeline comes up. A
                // pipeline of one thread goes straight to that thread's ready cycle (what its next
                // pop would find), which saves the empty pop
                schedule(p, n == 1 ? max(pipeFree[p], readyAt[th]) : pipeFree[p]);
            }
        }

        private void schedule(int p, long cycle) {
            if (cycle >= NEVER) {
                queue.cancel(p);
            } else {
                queue.set(p, Math.max(cycle, queue.now()));
            }
        }

        private long keyOf(int p) {
            int first = pipeFirst[p];
            long min = NEVER;
            for (int k = 0; k < pipeCount[p]; k++) {
                // min = Math.min(min, readyAt) without a branch (cycles stay far below 2^62)
                long d = readyAt[first + k] - min;
                min += d & (d >> 63);
            }
            return min >= NEVER ? NEVER : Math.max(min, pipeFree[p]);
        }

        /**
         * Finish cycles of the threads {@code ran} of this engine whose last phase was counted, not
         * simulated: as if each pipeline were shared fairly without stalls from {@code release}, thread
         * k of n in order of issue slots {@code w1 <= w2 <= ...} ending at
         * {@code w1 + ... + w(k-1) + (n - k + 1) wk} (processor sharing).
         */
        void finishShared(boolean[] ran, long[] slots, long release) {
            for (int p = firstPipe; p < endPipe; p++) {
                int first = pipeFirst[p];
                int n = pipeCount[p];
                Integer[] byWork = new Integer[n];
                for (int k = 0; k < n; k++) {
                    byWork[k] = first + k;
                }
                Arrays.sort(byWork, (x, y) -> Long.compare(slots[x], slots[y]));
                long before = 0;
                for (int k = 0; k < n; k++) {
                    int t = byWork[k];
                    if (ran[t]) {
                        finish[t] = release + before + (n - k) * slots[t];
                    }
                    before += slots[t];
                }
            }
        }

        /**
         * Counts operation {@code op} of a thread of core {@code c} as {@link #execute} would, without
         * timing; returns its issue slots. Refuses the kinds whose counters depend on timing or on
         * other threads (cached loads, atomics, barriers).
         */
        long tally(int c, long op) {
            int kind = Op.kind(op);
            int s = issueSlots(kind, op);
            switch (kind) {
                case Op.COMPUTE -> {
                }
                case Op.LOAD_STREAM -> {
                    dramRead += (long) Op.words(op) * accessBytes;
                    dramAccesses += Op.words(op);
                    coreDram[c] += Op.words(op);
                }
                case Op.STORE -> {
                    dramWrite += (long) Op.words(op) * accessBytes;
                    dramAccesses += Op.words(op);
                    coreDram[c] += Op.words(op);
                }
                case Op.SPAD_LOAD, Op.SPAD_STORE -> {
                    if (Op.core(op) != c) {
                        remote++;
                    }
                }
                default -> throw new IllegalStateException("operation kind " + kind
                        + " cannot be counted without timing");
            }
            countIssue(c, kind, s);
            return s;
        }

        /** An operation's issue slots: its ALU cycles, at least one, for a computation; else ALU cycles plus one. */
        private int issueSlots(int kind, long op) {
            int alu = Op.alu(op);
            return kind == Op.COMPUTE ? Math.max(1, alu) : alu + 1;
        }

        /** Counts one issued operation of {@code kind} on core {@code c} holding {@code s} issue slots. */
        private void countIssue(int c, int kind, int s) {
            opsByKind[kind]++;
            coreOps[c]++;
            if (++unreported == REPORT_EVERY) {
                report();
            }
            slots += s;
            coreSlots[c] += s;
        }

        private void execute(int th, int p, long now, long op) {
            int kind = Op.kind(op);
            int c = coreOf[th];
            int s = issueSlots(kind, op);
            countIssue(c, kind, s);
            pipeFree[p] = now + s;
            long leave = now + s - 1;
            switch (kind) {
                case Op.COMPUTE -> readyAt[th] = now + s;
                case Op.LOAD -> readyAt[th] = cachedLoad(c, Op.address(op), leave);
                case Op.LOAD_STREAM -> {
                    int w = Op.words(op);
                    dramRead += (long) w * accessBytes;
                    coreDram[c] += w;
                    readyAt[th] = dram(c, leave, w) + dramLat;
                }
                case Op.STORE -> {
                    int w = Op.words(op);
                    dramWrite += (long) w * accessBytes;
                    coreDram[c] += w;
                    readyAt[th] = max(now + s, dram(c, leave, w));
                }
                case Op.SPAD_LOAD -> {
                    int target = Op.core(op);
                    int hop = target == c ? 0 : 2 * net;
                    if (hop > 0) {
                        remote++;
                    }
                    readyAt[th] = leave + (long) spadLat * Math.max(1, Op.words(op)) + hop;
                }
                case Op.SPAD_STORE -> {
                    if (Op.core(op) != c) {
                        remote++;
                    }
                    readyAt[th] = now + s;
                }
                case Op.ATOMIC, Op.ATOMIC_POSTED -> {
                    int target = Op.core(op);
                    int hop = target == c ? 0 : net;
                    if (hop > 0) {
                        remote++;
                    }
                    long begin = atomic(target, Op.address(op), leave + hop, Math.max(1, Op.words(op)));
                    coreAtom[target] += Math.max(1, Op.words(op));
                    readyAt[th] = kind == Op.ATOMIC ? begin + atomLat + hop : max(now + s, begin - hop);
                }
                case Op.BARRIER -> {
                    int scope = Op.core(op) == Op.CHIP ? cores : Op.core(op);
                    readyAt[th] = NEVER;
                    barrierScope[th] = scope;
                    arrivedAt[th] = now + s;
                    arrived[scope]++;
                    lastArrival[scope] = Math.max(lastArrival[scope], now + s);
                    tryRelease(scope);
                }
                default -> throw new IllegalStateException("unknown operation kind " + kind);
            }
        }

        /**
         * A request of {@code w} accesses at cycle {@code at} on core {@code c}'s DRAM channel: the cycle
         * its last access is served.
         */
        private long dram(int c, long at, int w) {
            long startUnit = max(dramNext[c], at * dramK);
            long end = startUnit + (long) w * cores;
            dramNext[c] = end;
            dramAccesses += w;
            return dramShift >= 0 ? (end - 1) >>> dramShift : (end - 1) / dramK;
        }

        private long cachedLoad(int c, long address, long at) {
            if (sets == 0) {
                dramRead += accessBytes;
                coreDram[c]++;
                misses++;
                return dram(c, at, 1) + dramLat;
            }
            long line = address >>> lineShift;
            int set = (int) (line ^ (line >>> 17)) & setMask;
            int base = set * ways;
            long[] entry = packed[c];
            if (entry != null) {
                // the set's ways in one array: tag + 1 above the fill cycle
                long want = ((line >>> setBits) + 1) << fillBits;
                // the matching way (a line sits in one way at most), or 0: no branch per way
                long hit = 0;
                for (int w = 0; w < ways; w++) {
                    long x = entry[base + w];
                    hit |= x & equalMask(x & ~fillMask, want);
                }
                if (hit != 0) {
                    hits++;
                    return max(at + cacheLat, hit & fillMask);
                }
                long ready = miss(c, at);
                if (ready > fillMask) {
                    throw new IllegalStateException("cycle " + ready + " does not fit the cache model's " + fillBits
                            + "-bit fill field");
                }
                entry[base + nextVictim(c, set)] = want | ready;
                return ready;
            }
            int[] tag = tags[c];
            int low = (int) (line + 1);
            for (int w = 0; w < ways; w++) {
                if (tag[base + w] == low && fills[c][2 * (base + w)] == line + 1) {
                    hits++;
                    return Math.max(at + cacheLat, fills[c][2 * (base + w) + 1]);
                }
            }
            long ready = miss(c, at);
            int v = nextVictim(c, set);
            tag[base + v] = low;
            fills[c][2 * (base + v)] = line + 1;
            fills[c][2 * (base + v) + 1] = ready;
            return ready;
        }

        /** A cache miss on core {@code c} at cycle {@code at}: the line's DRAM read; returns its fill cycle. */
        private long miss(int c, long at) {
            misses++;
            dramRead += (long) lineWords * accessBytes;
            coreDram[c] += lineWords;
            return dram(c, at, lineWords) + dramLat;
        }

        /** The way of {@code set} that the next fill replaces (round robin). */
        private int nextVictim(int c, int set) {
            int v = victim[c][set];
            victim[c][set] = (byte) (v + 1 == ways ? 0 : v + 1);
            return v;
        }

        /** Reserves {@code w} operations of core {@code c}'s atomic unit; returns the start cycle. */
        private long atomic(int c, long address, long at, int w) {
            atomOps += w;
            int idx = (int) ((address >>> 3) & (BUSY_TABLE - 1));
            // the same address still busy: start after it (no branch on the host)
            long earliest = max(at, busyUntil[c][idx] & equalMask(busyAddr[c][idx], address));
            long startUnit = max(atomNext[c], earliest * atomK);
            atomNext[c] = startUnit + w;
            long begin = atomShift >= 0 ? startUnit >>> atomShift : startUnit / atomK;
            busyAddr[c][idx] = address;
            busyUntil[c][idx] = begin + atomLat;
            return begin;
        }

        private void tryRelease(int scope) {
            if (arrived[scope] == 0 || arrived[scope] < live[scope] || scope == cores && chipBarrierOutside) {
                return;
            }
            release(scope, lastArrival[scope] + (scope == cores ? 2L * net : spadLat));
        }

        /** Lets every thread waiting at a barrier of {@code scope} go at cycle {@code release}. */
        void release(int scope, long release) {
            int from = scope == cores ? firstThread : scope * tpc;
            int to = scope == cores ? endThread : (scope + 1) * tpc;
            for (int t = from; t < to; t++) {
                if (barrierScope[t] == scope) {
                    barrierScope[t] = -1;
                    readyAt[t] = release;
                    barrierWait += release - arrivedAt[t];
                    int p = pipeOf[t];
                    schedule(p, keyOf(p));
                }
            }
            arrived[scope] = 0;
            lastArrival[scope] = 0;
        }
    }
}
