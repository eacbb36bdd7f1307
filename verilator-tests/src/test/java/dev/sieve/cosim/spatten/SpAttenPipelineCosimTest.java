package dev.sieve.cosim.spatten;

import dev.sieve.arch.spatten.AttentionPipeline;
import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.CosimMismatchException;
import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.ForwardingCycleModel;
import dev.sieve.cosim.Lockstep;
import dev.sieve.cosim.Verilator;
import dev.sieve.hdl.spatten.SpAttenPipeline;
import dev.sieve.hdl.spatten.model.SpAttenPipelineJobs;
import dev.sieve.hdl.spatten.model.SpAttenPipelineModel;
import java.math.BigInteger;
import dev.sieve.sim.spatten.FixedPointAttention;
import dev.sieve.sim.spatten.PipelineCosim;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated attention pipeline runs in lockstep with its golden model on every output bit of
 * every cycle, three compiled designs (D = 64, max n = 1024): P = Pv = 16 with 4 comparators (a key
 * takes 4 beats), P = Pv = 64 with 8 (the 1/8-scale array: one key a beat), and P = 128, Pv = 256
 * with 16 (two softmax lanes, four V rows a beat). Queries vary at run time: n = 16 .. 1024, k from
 * 1 to above n, tau one step on either side of the query's largest first-pass probability (so both
 * refetch decisions occur for every size), full-rate and idling streams, resets in the middle of a
 * query and bad arguments. Queries are issued back to back, so they overlap in the pipeline's
 * four stages, and every other query refetches while the next one is already in the Q·K stage.
 * Each output equals {@link FixedPointAttention#query} bit for bit, and at full
 * rate each query leaves in the cycle the cycle model's schedule gives
 * ({@link dev.sieve.arch.spatten.QueryCost#schedule} of {@link AttentionPipeline#queryCost}), so the
 * run takes exactly {@link dev.sieve.arch.spatten.QueryCost#runCycles} of the queries' costs.
 */
class SpAttenPipelineCosimTest {

    private static final ConcurrentHashMap<String, CompiledDesign> DESIGNS = new ConcurrentHashMap<>();

    static AttentionPipeline pipeline(int p, int pv, int comparators) {
        SpAttenConfig x = SpAttenConfig.paper();
        return AttentionPipeline.of(new SpAttenConfig(p, pv, comparators, 1, x.kSramBytes(), x.vSramBytes(),
                x.hbmChannels(), x.hbmBytesPerCycle(), 12, 1.0), 64, 1024);
    }

    static CompiledDesign design(AttentionPipeline cfg) {
        return DESIGNS.computeIfAbsent(cfg.toString(), key -> Verilator.compile(new SpAttenPipeline(cfg).build()));
    }

    /** Sizes 16 .. 1024, k below, at and above n, tau on both sides of the threshold. */
    static List<SpAttenPipelineJobs.Job> jobs(long seed, boolean resets) {
        SplittableRandom r = new SplittableRandom(seed);
        List<SpAttenPipelineJobs.Job> jobs = new ArrayList<>();
        int[][] shapes = {{16, 1}, {17, 17}, {64, 80}, {100, 20}, {257, 31}, {512, 64}, {993, 204}, {1024, 128},
                {1 + 16 + r.nextInt(1000), 0}};
        for (int[] s : shapes) {
            int n = s[0];
            int k = s[1] == 0 ? 1 + r.nextInt(n) : s[1];
            int lsb = 4 + r.nextInt(5);
            SpAttenPipelineJobs.Job probe = PipelineCosim.synthetic(64, n, k, lsb, 0, seed * 7919 + n, 0);
            int maxProb = maxProbFirstPass(probe);
            for (int tau : new int[] {maxProb, maxProb + 1}) {
                int reset = resets && r.nextInt(3) == 0 ? 5 + r.nextInt(3 * n) : 0;
                if (reset > 0) {
                    jobs.add(new SpAttenPipelineJobs.Job(probe.q(), probe.keys(), probe.values(), k, lsb, tau, reset));
                }
                jobs.add(new SpAttenPipelineJobs.Job(probe.q(), probe.keys(), probe.values(), k, lsb, tau, 0));
            }
        }
        if (resets) {
            // bad arguments: k = 0, lsb = 12; then a good query again
            SpAttenPipelineJobs.Job ok = PipelineCosim.synthetic(64, 40, 5, 0, 0, seed, 0);
            jobs.add(new SpAttenPipelineJobs.Job(ok.q(), ok.keys(), ok.values(), 0, 0, 0, 0));
            jobs.add(new SpAttenPipelineJobs.Job(ok.q(), ok.keys(), ok.values(), 5, 12, 0, 0));
            jobs.add(ok);
        }
        return jobs;
    }

    static int maxProbFirstPass(SpAttenPipelineJobs.Job job) {
        int m = 0;
        for (int p : PipelineCosim.expected(new SpAttenPipelineJobs.Job(job.q(), job.keys(), job.values(), job.k(),
                job.lsb(), 0, 0)).prob()) {
            m = Math.max(m, p);
        }
        return m;
    }

    @ParameterizedTest(name = "P={0} Pv={1} comparators={2}")
    @CsvSource({"16, 16, 4", "64, 64, 8", "128, 256, 16"})
    void rtlMatchesModelAndFixedPointAttentionAtFullRate(int p, int pv, int comparators) {
        AttentionPipeline cfg = pipeline(p, pv, comparators);
        List<SpAttenPipelineJobs.Job> jobs = jobs(p, false);
        PipelineCosim.Outcome o = PipelineCosim.run(design(cfg), cfg, jobs, jobs.size(), 0, 1);
        assertEquals(List.of(), o.mismatches());
        assertEquals(jobs.size(), o.count(PipelineCosim.Verdict::bitExact), "bit-exact queries");
        assertEquals(jobs.size(), o.count(PipelineCosim.Verdict::cycleExact), "cycle-exact queries");
        long refetched = o.count(v -> v.slot().refetched());
        assertEquals(jobs.size() / 2, refetched, "tau = max prob + 1 refetches, tau = max prob does not");
        // the whole run of back-to-back queries: first start to last output, as run and as the model's schedule
        assertEquals(1, o.runs().size());
        assertEquals(o.runs().get(0)[1], o.runs().get(0)[0], "run cycles: RTL vs QueryCost.runCycles");
        System.out.printf(Locale.ROOT, "cosim: spatten_pipeline P=%d Pv=%d matched its model on %d cycles, "
                + "%d queries bit- and cycle-exact, %d refetched, run of %d cycles = the model's%n", p, pv, o.cycles(),
                jobs.size(), refetched, o.runs().get(0)[0]);
    }

    @ParameterizedTest(name = "P={0} Pv={1} comparators={2}")
    @CsvSource({"16, 16, 4", "128, 256, 16"})
    void rtlMatchesModelWithIdleStreamsResetsAndBadArguments(int p, int pv, int comparators) {
        AttentionPipeline cfg = pipeline(p, pv, comparators);
        List<SpAttenPipelineJobs.Job> jobs = jobs(p + 1, true);
        PipelineCosim.Outcome o = PipelineCosim.run(design(cfg), cfg, jobs, jobs.size(), 0.25, 3);
        assertEquals(List.of(), o.mismatches());
        // every query that was not reset first (a reset later than the query's end changes nothing) is exact
        long finished = o.count(v -> v.slot().outCycle() >= 0);
        assertTrue(finished >= jobs.stream().filter(j -> j.resetAfter() == 0 && j.k() > 0 && j.lsb() < 12).count());
        assertEquals(finished, o.count(PipelineCosim.Verdict::bitExact));
        assertEquals(2, o.count(v -> v.slot().err()), "two queries with bad arguments end in err");
        assertTrue(o.count(v -> v.slot().outCycle() < 0 && !v.slot().err()) >= 2, "queries reset mid-run");
    }

    @Test
    void aModelWithOneWrongOutputBitIsCaught() {
        // the checker is not blind: the model with bit 0 of out_payload flipped while out_valid fails
        AttentionPipeline cfg = pipeline(64, 64, 8);
        SpAttenPipelineJobs bench = new SpAttenPipelineJobs(cfg, 0, 1);
        bench.add(PipelineCosim.synthetic(64, 40, 5, 0, 0, 9, 0));
        bench.idle(2);
        SpAttenPipelineModel good = new SpAttenPipelineModel(cfg);
        int payload = good.portIndex("out_payload");
        int valid = good.portIndex("out_valid");
        CycleModel wrong = new ForwardingCycleModel(good) {
            @Override
            public BigInteger outputWide(int port) {
                BigInteger v = inner.outputWide(port);
                return port == payload && inner.output(valid) == 1 ? v.flipBit(0) : v;
            }
        };
        Lockstep run = Lockstep.of(design(cfg), wrong).cycles(bench.cycles());
        for (String port : SpAttenPipelineJobs.NARROW) {
            run.drive(port, c -> bench.input(port, c));
        }
        for (String port : SpAttenPipelineJobs.WIDE) {
            run.driveWide(port, c -> bench.wide(port, c));
        }
        CosimMismatchException e = assertThrows(CosimMismatchException.class, run::check);
        assertTrue(e.getMessage().contains("out_payload"), e.getMessage());
    }
}
