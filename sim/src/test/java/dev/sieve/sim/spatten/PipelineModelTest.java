package dev.sieve.sim.spatten;

import dev.sieve.arch.spatten.AttentionArithmetic;
import dev.sieve.arch.spatten.AttentionPipeline;
import dev.sieve.arch.spatten.QueryCost;
import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.hdl.spatten.model.SpAttenPipelineJobs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attention pipeline's golden model (the RTL's reference in lockstep) against the functional
 * path and the timing statement, without Verilator: every query's output vector, probabilities and
 * refetch equal {@link FixedPointAttention#query} bit for bit, and its cycles equal
 * {@link AttentionPipeline#queryCycles} with the engine's selection replayed, over P below, equal to
 * and above D, n = 16 .. 1024, k from 1 to above n, and tau one step on either side of the query's
 * largest first-pass probability. Issued back to back, the queries overlap in the four stages and
 * each leaves exactly when the cycle model's schedule ({@link QueryCost#schedule}) says, so the run
 * takes {@link QueryCost#runCycles} of their costs.
 */
class PipelineModelTest {

    static AttentionPipeline pipeline(int p, int pv, int comparators) {
        SpAttenConfig x = SpAttenConfig.paper();
        return AttentionPipeline.of(new SpAttenConfig(p, pv, comparators, 1, x.kSramBytes(), x.vSramBytes(),
                x.hbmChannels(), x.hbmBytesPerCycle(), 12, 1.0), 64, 1024);
    }

    /** Jobs over sizes, k and tau straddling the refetch threshold (both decisions for each size). */
    static List<SpAttenPipelineJobs.Job> jobs(long seed) {
        List<SpAttenPipelineJobs.Job> jobs = new ArrayList<>();
        int[][] shapes = {{16, 4}, {17, 17}, {100, 20}, {256, 1}, {333, 400}, {993, 204}, {1024, 128}};
        for (int[] s : shapes) {
            int n = s[0], k = s[1];
            SpAttenPipelineJobs.Job probe = PipelineCosim.synthetic(64, n, k, 6, 0, seed + n, 0);
            // the largest probability of the first (6-bit) pass: refetch iff it is below T
            int maxProb = maxProbFirstPass(probe);
            for (int tau : new int[] {maxProb, maxProb + 1}) {
                jobs.add(new SpAttenPipelineJobs.Job(probe.q(), probe.keys(), probe.values(), k, 6, tau, 0));
            }
        }
        return jobs;
    }

    static int maxProbFirstPass(SpAttenPipelineJobs.Job job) {
        // with tau = 0 nothing refetches, so the probabilities are the first pass's
        SpAttenPipelineJobs.Job noRefetch = new SpAttenPipelineJobs.Job(job.q(), job.keys(), job.values(), job.k(),
                job.lsb(), 0, 0);
        int m = 0;
        for (int p : PipelineCosim.expected(noRefetch).prob()) {
            m = Math.max(m, p);
        }
        return m;
    }

    @ParameterizedTest(name = "P={0} Pv={1} comparators={2}")
    @CsvSource({"16, 16, 4", "64, 64, 8", "128, 256, 16", "512, 512, 16"})
    void modelEqualsFixedPointAttentionAndTheTimingFormula(int p, int pv, int comparators) {
        AttentionPipeline cfg = pipeline(p, pv, comparators);
        SpAttenPipelineJobs bench = new SpAttenPipelineJobs(cfg, 0, 1);
        int refetches = 0;
        for (SpAttenPipelineJobs.Job job : jobs(p)) {
            SpAttenPipelineJobs.Slot slot = bench.add(job);
            FixedPointAttention.Query want = PipelineCosim.expected(job);
            assertArrayEquals(want.out(), slot.out(), "n=" + job.n() + " k=" + job.k() + " tau=" + job.tau());
            assertArrayEquals(want.prob(), slot.prob());
            assertEquals(want.refetched(), slot.refetched());
            assertEquals(PipelineCosim.formulaCycles(cfg, slot, want), slot.cycles(), "n=" + job.n());
            refetches += slot.refetched() ? 1 : 0;
        }
        // tau = max prob never refetches (max < max is false), tau = max + 1 always does
        assertEquals(jobs(p).size() / 2, refetches);
    }

    @ParameterizedTest(name = "P={0} Pv={1} comparators={2}")
    @CsvSource({"16, 16, 4", "64, 64, 8", "128, 256, 16", "512, 512, 16"})
    void queriesBackToBackOverlapAndLeaveWhenTheScheduleSays(int p, int pv, int comparators) {
        AttentionPipeline cfg = pipeline(p, pv, comparators);
        SpAttenPipelineJobs bench = new SpAttenPipelineJobs(cfg, 0, 1);
        List<SpAttenPipelineJobs.Job> jobs = jobs(p + 5);
        List<SpAttenPipelineJobs.Slot> slots = bench.run(jobs);
        List<QueryCost> costs = new ArrayList<>();
        long alone = 0;
        for (SpAttenPipelineJobs.Slot slot : slots) {
            FixedPointAttention.Query want = PipelineCosim.expected(slot.job());
            assertArrayEquals(want.out(), slot.out(), "n=" + slot.job().n() + " k=" + slot.job().k());
            assertEquals(want.refetched(), slot.refetched());
            costs.add(PipelineCosim.cost(cfg, slot, want));
            alone += PipelineCosim.formulaCycles(cfg, slot, want);
        }
        for (PipelineCosim.Verdict v : PipelineCosim.verdicts(cfg, slots, Long.MAX_VALUE)) {
            assertTrue(v.cycleExact(), "n=" + v.slot().job().n() + ": out at " + v.slot().outCycle() + ", schedule "
                    + (v.slot().startCycle() + v.formulaCycles() - 1));
        }
        // back to back: each start is the cycle after the Q·K stage handed the previous query on, so the
        // whole run is the schedule's from cycle 0
        long ran = slots.get(slots.size() - 1).outCycle() - slots.get(0).startCycle() + 1;
        assertEquals(QueryCost.runCycles(costs), ran);
        assertTrue(ran < alone, "queries overlap: " + ran + " < " + alone + " one at a time");
    }

    @ParameterizedTest(name = "P={0}")
    @CsvSource({"16", "128"})
    void idleStreamsAndResetsChangeOnlyTiming(int p) {
        AttentionPipeline cfg = pipeline(p, p, 16);
        SpAttenPipelineJobs bench = new SpAttenPipelineJobs(cfg, 0.3, 7);
        int stalled = 0;
        for (SpAttenPipelineJobs.Job job : jobs(3)) {
            SpAttenPipelineJobs.Job reset = new SpAttenPipelineJobs.Job(job.q(), job.keys(), job.values(), job.k(),
                    job.lsb(), job.tau(), 40 + job.n());
            assertEquals(-1, bench.add(reset).outCycle(), "a reset abandons the query");
            SpAttenPipelineJobs.Slot slot = bench.add(job);
            FixedPointAttention.Query want = PipelineCosim.expected(job);
            assertArrayEquals(want.out(), slot.out());
            // an idle stream delays the query; a query whose streams never idled takes the formula's cycles
            long formula = PipelineCosim.formulaCycles(cfg, slot, want);
            if (slot.stalled()) {
                assertTrue(slot.cycles() > formula, "n=" + job.n() + ": " + slot.cycles() + " vs " + formula);
                stalled++;
            } else {
                assertEquals(formula, slot.cycles());
            }
        }
        assertTrue(stalled >= jobs(3).size() / 2, stalled + " queries stalled");
        assertEquals(AttentionArithmetic.PROB_ONE, AttentionArithmetic.refetchThreshold(2.0));
    }
}
