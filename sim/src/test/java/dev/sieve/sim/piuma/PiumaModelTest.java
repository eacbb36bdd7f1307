package dev.sieve.sim.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.piuma.Algorithm;
import dev.sieve.dataflow.piuma.Op;
import dev.sieve.dataflow.piuma.ReferenceSpgemm;
import dev.sieve.dataflow.piuma.SpgemmRun;
import dev.sieve.dataflow.piuma.ThreadStreams;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.dataflow.sparse.Rmat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PIUMA model on hand-written operation streams whose cost can be worked out by hand (latency,
 * bandwidth, issue, atomic serialization, barriers), and on real SpGEMM runs.
 */
class PiumaModelTest {

    /** A machine of {@code cores} x ({@code mt} MT pipelines x {@code threads} + {@code st} ST pipelines). */
    static PiumaConfig machine(int cores, int mt, int threads, int st, int dramBytesPerCycle) {
        // SPAD 4, cache 3, DRAM 120, atomics 1/cycle with latency 6, network 20 cycles
        return new PiumaConfig(cores, mt, threads, st, 1L << 20, 4, 0, 8, 3, 120, dramBytesPerCycle, 8, 1, 6, 20);
    }

    static long[] repeat(int n, long op) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, op);
        return a;
    }

    @Test
    void branchFreeSelectsAgreeWithMathMaxAndEquality() {
        // the engine's max and equalMask on cycles and cycle units in [0, 2^62), edges included
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        long[] edge = {0, 1, 2, (1L << 39) - 1, 1L << 39, (1L << 62) - 1, Long.MAX_VALUE / 4};
        for (long a : edge) {
            for (long b : edge) {
                assertEquals(Math.max(a, b), PiumaModel.max(a, b), a + " " + b);
                assertEquals(a == b ? -1L : 0L, PiumaModel.equalMask(a, b), a + " " + b);
            }
        }
        for (int n = 0; n < 100_000; n++) {
            long a = rng.nextLong(1L << 62);
            long b = rng.nextBoolean() ? a + rng.nextLong(-3, 4) : rng.nextLong(1L << 62);
            b = Math.max(0, Math.min(b, (1L << 62) - 1));
            assertEquals(Math.max(a, b), PiumaModel.max(a, b), a + " " + b);
            assertEquals(a == b ? -1L : 0L, PiumaModel.equalMask(a, b), a + " " + b);
            // equalMask also compares addresses and tags of any sign
            long x = rng.nextLong();
            long y = rng.nextBoolean() ? x : rng.nextLong();
            assertEquals(x == y ? -1L : 0L, PiumaModel.equalMask(x, y), x + " " + y);
        }
    }

    @Test
    void streamsWrittenForAnotherMachineAreRefused() {
        PiumaConfig cfg = machine(1, 0, 1, 1, 64);
        ThreadStreams other = ThreadStreams.of(machine(2, 0, 1, 1, 64), t -> new long[0]);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new PiumaModel(cfg).run(other));
        assertTrue(e.getMessage().startsWith("the streams were written for another machine"), e.getMessage());
    }

    @Test
    void aLoneThreadPaysTheFullDramLatencyPerLoad() {
        PiumaConfig cfg = machine(1, 0, 1, 1, 64);
        PiumaStats s = new PiumaModel(cfg).run(ThreadStreams.of(cfg, t -> repeat(100, Op.make(Op.LOAD_STREAM, 0, 1, 0, 0))));
        // each load waits 120 cycles before the next can issue: 100 x 120
        assertEquals(100 * 120, s.cycles());
        assertEquals(100, s.ops(Op.LOAD_STREAM));
        assertEquals(800, s.dramReadBytes());
    }

    @Test
    void moreThreadsHideTheLatency() {
        long[] cycles = new long[2];
        int[] threads = {1, 16};
        for (int k = 0; k < 2; k++) {
            PiumaConfig cfg = machine(1, 1, threads[k], 0, 64);
            int per = 1600 / threads[k];
            cycles[k] = new PiumaModel(cfg).run(ThreadStreams.of(cfg,
                    t -> repeat(per, Op.make(Op.LOAD_STREAM, 0, 1, 0, 64L * t)))).cycles();
        }
        // 1 thread: 1600 x 120 cycles; 16 threads overlap 16 loads per 120-cycle latency: 100 x 120
        assertEquals(1600 * 120, cycles[0]);
        assertTrue(cycles[1] <= 100 * 120 + 16, "16 threads: " + cycles[1]);
        assertTrue(cycles[0] / (double) cycles[1] > 15.9);
    }

    @Test
    void dramBoundStreamsRunAtTheBandwidth() {
        // 64 threads stream 1000 loads of 4 words each at one 8-byte access per cycle (8 bytes/cycle).
        // Latency alone would allow 64 x 4 / 124 = 2 accesses per cycle, so the bandwidth binds:
        // 256,000 accesses need 256,000 cycles, plus one latency for the last to return
        PiumaConfig cfg = machine(1, 4, 16, 0, 8);
        PiumaStats s = new PiumaModel(cfg).run(ThreadStreams.of(cfg, t -> repeat(1000, Op.make(Op.LOAD_STREAM, 0, 4, 0, 0))));
        assertTrue(s.cycles() >= 256_000 && s.cycles() <= 256_000 + 120 + 64, "cycles " + s.cycles());
        assertTrue(s.dramUtilization() > 0.99, "utilization " + s.dramUtilization());
    }

    @Test
    void computeIssuesOneSlotPerCyclePerPipeline() {
        // 2 pipelines x 4 threads x 1000 one-cycle operations = 8000 slots on 2 pipelines: 4000 cycles
        PiumaConfig cfg = machine(1, 2, 4, 0, 64);
        PiumaStats s = new PiumaModel(cfg).run(ThreadStreams.of(cfg, t -> repeat(1000, Op.make(Op.COMPUTE, 1, 0, 0, 0))));
        assertEquals(4000, s.cycles());
        assertEquals(1.0, s.issueUtilization(), 1e-9);
    }

    @Test
    void atomicsOnOneAddressSerializeAndOnManyAddressesStream() {
        PiumaConfig cfg = machine(1, 1, 16, 0, 64);
        PiumaStats same = new PiumaModel(cfg).run(ThreadStreams.of(cfg,
                t -> repeat(10, Op.make(Op.ATOMIC, 0, 1, 0, 64))));
        PiumaStats spread = new PiumaModel(cfg).run(ThreadStreams.of(cfg,
                t -> repeat(10, Op.make(Op.ATOMIC, 0, 1, 0, 4096L * t))));
        // one address: each read-modify-write starts when the previous finished, 160 x 6 cycles
        assertTrue(same.cycles() >= 160 * 6, "same address " + same.cycles());
        // 16 addresses: the unit starts one per cycle and each thread waits 7 cycles per atomic,
        // so about 10 x (6 + 1) + 16 cycles
        assertTrue(spread.cycles() < 200, "spread " + spread.cycles());
        assertEquals(160, same.atomicUnitOps());
    }

    @Test
    void remoteScratchpadLoadsPayANetworkRoundTrip() {
        PiumaConfig cfg = machine(2, 0, 1, 1, 64);
        PiumaStats local = new PiumaModel(cfg).run(ThreadStreams.of(cfg,
                t -> t == 0 ? repeat(50, Op.make(Op.SPAD_LOAD, 0, 1, 0, 8)) : new long[0]));
        PiumaStats remote = new PiumaModel(cfg).run(ThreadStreams.of(cfg,
                t -> t == 0 ? repeat(50, Op.make(Op.SPAD_LOAD, 0, 1, 1, 8)) : new long[0]));
        assertEquals(50 * 4, local.cycles());
        assertEquals(50 * (4 + 2 * 20), remote.cycles());
        assertEquals(50, remote.remoteOps());
    }

    @Test
    void aBarrierReleasesEveryoneAfterTheLastArrival() {
        PiumaConfig cfg = machine(1, 0, 1, 2, 64);
        long bar = Op.make(Op.BARRIER, 0, 0, 0, 0);
        long one = Op.make(Op.COMPUTE, 1, 0, 0, 0);
        PiumaStats s = new PiumaModel(cfg).run(ThreadStreams.of(cfg, t -> t == 0
                ? new long[] {Op.make(Op.COMPUTE, 100, 0, 0, 0), bar, one}
                : new long[] {Op.make(Op.COMPUTE, 10, 0, 0, 0), bar, one}));
        // thread 0 arrives at 101, thread 1 at 11; both leave at 101 + SPAD latency 4 = 105 and
        // finish their last operation at 106; waiting: (105 - 101) + (105 - 11) = 98 thread-cycles
        assertEquals(106, s.cycles());
        assertEquals(98, s.barrierWaitCycles());
    }

    @Test
    void timedRunsWithDynamicWorkGiveTheReferenceProduct() {
        Csr a = Rmat.generateValued(9, 8, 3, 7);
        Csr want = ReferenceSpgemm.multiply(a, a);
        for (Algorithm alg : Algorithm.values()) {
            SpgemmRun run = alg.start(a, a, PiumaConfig.defaults(), true);
            new PiumaModel(PiumaConfig.defaults()).run(run);
            assertNull(want.firstDifference(run.product()), alg.cliName());
        }
    }

    @Test
    void coreByCoreEnginesEqualOneEngineForTheChip() {
        // V3 and the inner product are core-local: simulated core by core (one or three host
        // threads) each must give exactly what one engine for the whole chip gives, down to every
        // statistic, and the same product
        Csr a = Rmat.generateValued(10, 8, 5, 9);
        PiumaConfig cfg = PiumaConfig.defaults();
        Csr want = ReferenceSpgemm.multiply(a, a);
        for (Algorithm alg : new Algorithm[] {Algorithm.SMASH_V3, Algorithm.INNER}) {
            SpgemmRun chipRun = alg.start(a, a, cfg, true);
            assertTrue(chipRun.coreLocal());
            PiumaStats chip = new PiumaModel(cfg).wholeChip(chipRun);
            for (int hostThreads : new int[] {1, 3}) {
                String what = alg.cliName() + ", " + hostThreads + " host threads";
                SpgemmRun run = alg.start(a, a, cfg, true);
                PiumaStats s = new PiumaModel(cfg).run(run, hostThreads);
                assertEquals(chip.cycles(), s.cycles(), what);
                assertEquals(java.util.Arrays.toString(chip.opsByKind()), java.util.Arrays.toString(s.opsByKind()));
                assertEquals(java.util.List.of(chip.issueSlots(), chip.dramAccesses(), chip.cacheHits(),
                        chip.cacheMisses(), chip.atomicUnitOps(), chip.barrierWaitCycles()), java.util.List.of(
                        s.issueSlots(), s.dramAccesses(), s.cacheHits(), s.cacheMisses(), s.atomicUnitOps(),
                        s.barrierWaitCycles()), what);
                assertEquals(java.util.Arrays.toString(chip.perCore()), java.util.Arrays.toString(s.perCore()));
                assertEquals(chipRun.hashProbes(), run.hashProbes());
                assertEquals(chipRun.spadPeakBytes(), run.spadPeakBytes());
                assertNull(want.firstDifference(run.product()), what);
            }
        }
    }

    @Test
    void eachCoreOfTheInnerProductSimulatedAloneIsExactlyItsShareOfTheWholeChip() {
        // the inner product's cores share nothing (own cache, own DRAM channel, no barrier): each core
        // simulated alone, its siblings' programs never made, must give exactly its whole-chip figures,
        // the slowest of them the chip's cycles; its operations are its rows' exact loads (InnerWork)
        // plus one store per entry of C in its rows
        Csr a = Rmat.generateValued(9, 8, 5, 9);
        PiumaConfig cfg = PiumaConfig.defaults();
        SpgemmRun chipRun = Algorithm.INNER.start(a, a, cfg, true);
        PiumaStats chip = new PiumaModel(cfg).wholeChip(chipRun);
        Csr c = chipRun.product();
        long[] loads = dev.sieve.dataflow.piuma.InnerWork.of(a, a).coreLoads(cfg.threads(), cfg.threadsPerCore());
        long slowest = 0;
        for (int core = 0; core < cfg.cores(); core++) {
            SpgemmRun run = Algorithm.INNER.start(a, a, cfg, false);
            PiumaStats.Core[] alone = new PiumaModel(cfg).runCores(run, new int[] {core}, 1);
            assertEquals(chip.perCore()[core], alone[0], "core " + core);
            long stores = 0;
            for (int i = 0; i < a.rows(); i++) {
                stores += i % cfg.threads() / cfg.threadsPerCore() == core ? c.rowLength(i) : 0;
            }
            assertEquals(loads[core] + stores, alone[0].ops(), "core " + core + ": loads + stores");
            slowest = Math.max(slowest, alone[0].finishCycle());
        }
        assertEquals(chip.cycles(), slowest, "the chip's cycles are its slowest core's");
        // several cores at once on two host threads, in the order asked
        PiumaStats.Core[] some = new PiumaModel(cfg).runCores(Algorithm.INNER.start(a, a, cfg, false),
                new int[] {5, 0, 3}, 2);
        assertEquals(java.util.List.of(chip.perCore()[5], chip.perCore()[0], chip.perCore()[3]),
                java.util.List.of(some));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new PiumaModel(cfg)
                .runCores(Algorithm.INNER.start(a, a, cfg, false), new int[] {1, 1}, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new PiumaModel(cfg)
                .runCores(Algorithm.OUTER.start(a, a, cfg, false), new int[] {0}, 1));
    }

    @Test
    void packedCacheWaysGiveWhatSeparateTagsAndFillsGive() {
        // the default machine's cache packs each way's tag and fill cycle into one long; with the
        // previous layout (tag prefixes, then the whole line and its fill cycle) forced, every
        // statistic must be the same: the packing changes how the model stores its state, not what
        // it simulates. V3 and the inner product (core by core) and the outer product (one engine
        // for the chip, remote atomics) cover hits on lines still filling, evictions and misses
        Csr a = Rmat.generateValued(10, 8, 5, 9);
        PiumaConfig cfg = PiumaConfig.defaults();
        assertTrue(PiumaModel.packsCache(cfg), "the default machine's cache packs");
        for (Algorithm alg : new Algorithm[] {Algorithm.SMASH_V3, Algorithm.INNER, Algorithm.OUTER}) {
            PiumaStats packed = new PiumaModel(cfg).run(alg.start(a, a, cfg, false), 2);
            SpgemmRun run = alg.start(a, a, cfg, false);
            PiumaStats split = alg.coreLocal() ? new PiumaModel(cfg, null, false).run(run, 1)
                    : new PiumaModel(cfg, null, false).wholeChip(run);
            String what = alg.cliName();
            assertTrue(packed.cacheHits() > 0 && packed.cacheMisses() > 0, what);
            assertEquals(java.util.List.of(split.cycles(), split.ops(), split.issueSlots(), split.dramAccesses(),
                    split.cacheHits(), split.cacheMisses(), split.atomicUnitOps(), split.barrierWaitCycles()),
                    java.util.List.of(packed.cycles(), packed.ops(), packed.issueSlots(), packed.dramAccesses(),
                            packed.cacheHits(), packed.cacheMisses(), packed.atomicUnitOps(),
                            packed.barrierWaitCycles()), what);
            assertEquals(java.util.Arrays.toString(split.perCore()), java.util.Arrays.toString(packed.perCore()), what);
        }
    }

    @Test
    void eachCoreHasItsShareOfTheDramBandwidth() {
        // 2 cores, 16 bytes/cycle for the chip: each core's channel serves one 8-byte access per
        // cycle. 16 threads of core 0 stream 200 loads of 15 words: latency alone would allow
        // 16 x 15 / 135 = 1.8 accesses per cycle, but core 0's channel serves 1, so the 48,000
        // accesses take 48,000 cycles (one chip-wide channel would have taken about 200 x 135 =
        // 27,000) while core 1's channel idles
        PiumaConfig cfg = machine(2, 1, 16, 0, 16);
        PiumaStats s = new PiumaModel(cfg).run(ThreadStreams.of(cfg,
                t -> t < 16 ? repeat(200, Op.make(Op.LOAD_STREAM, 0, 15, 0, 0)) : new long[0]));
        assertTrue(s.cycles() >= 48_000 && s.cycles() <= 48_000 + 135 + 16, "cycles " + s.cycles());
        assertEquals(0.5, s.dramUtilization(), 0.01, "one of two channels busy");
    }

    @Test
    void theSameRunTakesTheSameCycles() {
        Csr a = Rmat.generate(9, 16, 1);
        long first = SpgemmSimulation.run(Algorithm.SMASH_V2, a, a, PiumaConfig.defaults(), 0, false).cycles();
        long second = SpgemmSimulation.run(Algorithm.SMASH_V2, a, a, PiumaConfig.defaults(), 0, false).cycles();
        assertEquals(first, second);
    }

    @Test
    void smashV3BeatsInnerAndOuterProductOnRmat() {
        Csr a = Rmat.generate(9, 16, 1);
        PiumaConfig cfg = PiumaConfig.defaults();
        long v3 = SpgemmSimulation.run(Algorithm.SMASH_V3, a, a, cfg, 0, false).cycles();
        long inner = SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, 0, false).cycles();
        long outer = SpgemmSimulation.run(Algorithm.OUTER, a, a, cfg, 0, false).cycles();
        // inner re-reads B for every row of A; outer sends every partial product through DRAM twice
        assertTrue(v3 < inner && v3 < outer, "v3 " + v3 + ", inner " + inner + ", outer " + outer);
    }

    @Test
    void aSampledRunEstimatesTheFullRun() {
        Csr a = Rmat.generate(10, 16, 4);
        PiumaConfig cfg = PiumaConfig.defaults();
        SpgemmSimulation.Result full = SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, 0, false);
        // half the exact loads: the inner product is estimated core by core (a pilot, then whole cores)
        double budget = dev.sieve.dataflow.piuma.InnerWork.of(a, a).totalLoads() / 2.0;
        SpgemmSimulation.Result sampled = SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, budget, false);
        assertTrue(sampled.sampled());
        assertTrue(sampled.sampledFraction() <= 0.5, "fraction of the loads simulated " + sampled.sampledFraction());
        // the whole run lies in the estimate's range (InnerSamplingTest has the larger inputs)
        assertTrue(sampled.cyclesLow() <= full.cycles() && full.cycles() <= sampled.cyclesHigh(),
                full.cycles() + " vs " + sampled.cyclesLow() + " .. " + sampled.cyclesHigh());
        assertTrue(sampled.cyclesLow() <= sampled.cycles() && sampled.cycles() <= sampled.cyclesHigh());
        assertEquals(-1, sampled.nnzC());
    }
}
