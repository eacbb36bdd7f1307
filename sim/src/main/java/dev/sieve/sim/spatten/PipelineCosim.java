package dev.sieve.sim.spatten;

import dev.sieve.arch.spatten.AttentionArithmetic;
import dev.sieve.arch.spatten.AttentionPipeline;
import dev.sieve.arch.spatten.QueryCost;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.Lockstep;
import dev.sieve.cosim.LockstepResult;
import dev.sieve.dataflow.spatten.TraceRow;
import dev.sieve.hdl.spatten.model.SpAttenPipelineJobs;
import dev.sieve.hdl.spatten.model.SpAttenPipelineModel;
import dev.sieve.hdl.spatten.model.TopKEngineModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Queries through the attention pipeline's RTL beside its golden model
 * ({@link SpAttenPipelineModel}, lockstep on every output of every cycle), issued back to back so
 * they overlap in its four stages; each query's output compared with
 * {@link FixedPointAttention#query} and its output cycle with the cycle model's schedule
 * ({@link QueryCost#schedule} of {@link AttentionPipeline#queryCost}, the top-k engine's part
 * replayed with {@link TopKEngineModel#select} from the engine's LFSR state).
 */
public final class PipelineCosim {
    private PipelineCosim() {
    }

    /**
     * A query of a trace row on synthetic data (no trace holds activations): the row's kept keys
     * are its keys, its kept values its {@code k}, K fetched at {@code quant_key_bit} bits clears
     * {@code 12 - bits} low bits in the first pass, and its threshold is {@code auto_requant_thres}
     * when progressive quantization is on. Q, K and V are {@link FixedPointAttention#syntheticLayer}
     * (salient tokens) seeded by the row's (iteration, layer, head); the query is its last token.
     */
    public static SpAttenPipelineJobs.Job job(TraceRow row, AttentionPipeline cfg) {
        int n = row.keysFetched();
        int bits = row.keyBits();
        int lsb = bits > 0 && bits < AttentionArithmetic.WORD_BITS ? AttentionArithmetic.WORD_BITS - bits : 0;
        int tau = row.requantThreshold() > 0 ? AttentionArithmetic.refetchThreshold(row.requantThreshold()) : 0;
        long seed = (row.iteration() * 1_000_003L + row.layer()) * 1_000_033L + row.head();
        return synthetic(cfg.headDim(), n, row.valuesFetched(), lsb, tau, seed, 0);
    }

    /** Synthetic Q, K, V for {@code n} keys of {@code d} elements (see {@link #job}). */
    public static SpAttenPipelineJobs.Job synthetic(int d, int n, int k, int lsb, int tau, long seed, int resetAfter) {
        int[][][][] qkv = FixedPointAttention.syntheticLayer(1, n, d, seed, seed ^ 0x5A1E);
        int[] q = qkv[0][0][n - 1];
        return new SpAttenPipelineJobs.Job(q, qkv[1][0], qkv[2][0], k, lsb, tau, resetAfter);
    }

    /** What {@link FixedPointAttention} computes for {@code job}. */
    public static FixedPointAttention.Query expected(SpAttenPipelineJobs.Job job) {
        int[] keys = IntStream.range(0, job.n()).toArray();
        return FixedPointAttention.query(job.q(), job.keys(), job.values(), keys, job.k(), job.lsb(),
                job.tau() / (double) AttentionArithmetic.PROB_ONE);
    }

    /** The cycles {@link AttentionPipeline#queryCycles} gives {@code slot} alone, its selection replayed. */
    public static long formulaCycles(AttentionPipeline cfg, SpAttenPipelineJobs.Slot slot,
                                     FixedPointAttention.Query expected) {
        return cost(cfg, slot, expected).latency();
    }

    /** The stage times of {@code slot}'s query ({@link AttentionPipeline#queryCost}), its selection replayed. */
    public static QueryCost cost(AttentionPipeline cfg, SpAttenPipelineJobs.Slot slot,
                                 FixedPointAttention.Query expected) {
        SpAttenPipelineJobs.Job job = slot.job();
        long topk = AttentionPipeline.selects(job.n(), job.k())
                ? TopKEngineModel.select(expected.prob(), job.k(), cfg.topk(), slot.lfsr()).totalCycles() : 0;
        return cfg.queryCost(job.n(), job.k(), expected.refetched(), topk);
    }

    /**
     * The cycle model's view of a run query ({@link dev.sieve.arch.spatten.QueryShape}): its keys and
     * kept values, K at {@code 12 - lsb} bits with the LSBs fetched again when it refetched, V and Q
     * at 12 bits, and the engine's selection as it ran (replayed from the slot's LFSR state).
     */
    public static dev.sieve.arch.spatten.QueryShape shape(SpAttenPipelineJobs.Slot slot, AttentionPipeline cfg) {
        SpAttenPipelineJobs.Job job = slot.job();
        int w = AttentionArithmetic.WORD_BITS;
        long selection = AttentionPipeline.selects(job.n(), job.k())
                ? TopKEngineModel.select(slot.prob(), job.k(), cfg.topk(), slot.lfsr()).totalCycles() : 0;
        return new dev.sieve.arch.spatten.QueryShape(cfg.headDim(), job.n(), Math.min(job.k(), job.n()),
                w - job.lsb(), slot.refetched() ? job.lsb() : 0, w, w, selection);
    }

    /**
     * One query's verdict; {@code formulaCycles} is its start-to-output cycles in the run by
     * {@link QueryCost#schedule} (-1 when it has no output).
     */
    public record Verdict(SpAttenPipelineJobs.Slot slot, boolean lockstep, boolean bitExact, boolean cycleExact,
                          long formulaCycles) {
    }

    /**
     * A run: verdicts in job order, RTL cycles simulated, the first lockstep mismatch if any, and
     * per chunk the cycles from its first start to its last output as run and as
     * {@link QueryCost#runCycles} gives them (for chunks run at full rate with no error or reset).
     */
    public record Outcome(List<Verdict> verdicts, long cycles, List<String> mismatches, List<long[]> runs) {
        public long count(java.util.function.Predicate<Verdict> p) {
            return verdicts.stream().filter(p).count();
        }
    }

    /**
     * Runs {@code jobs} in chunks of {@code chunk} queries issued back to back, each chunk from reset:
     * the bench records the chunk against the golden model, then the RTL replays it in lockstep. A
     * query is bit-exact when its RTL output (equal to the model's up to the first mismatch) and its
     * refetch equal {@link FixedPointAttention}'s, cycle-exact when also no stream idled while it
     * ran and its output cycle is the one {@link QueryCost#schedule} gives from the observed start
     * cycles; a query at or after a chunk's first lockstep mismatch is neither.
     */
    public static Outcome run(CompiledDesign design, AttentionPipeline cfg, List<SpAttenPipelineJobs.Job> jobs,
                              int chunk, double idle, long seed) {
        List<Verdict> verdicts = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        List<long[]> runs = new ArrayList<>();
        long cycles = 0;
        for (int from = 0; from < jobs.size(); from += chunk) {
            SpAttenPipelineJobs bench = new SpAttenPipelineJobs(cfg, idle, seed + from);
            List<SpAttenPipelineJobs.Slot> slots = bench.run(jobs.subList(from, Math.min(jobs.size(), from + chunk)));
            bench.idle(2);
            LockstepResult r = lockstep(design, bench).run();
            cycles += r.cycles();
            long bad = r.mismatch().map(m -> m.cycle()).orElse(Long.MAX_VALUE);
            r.mismatch().ifPresent(m -> mismatches.add(m.describe()));
            verdicts.addAll(verdicts(cfg, slots, bad));
            if (slots.stream().allMatch(sl -> sl.outCycle() >= 0 && !sl.stalled())) {
                List<QueryCost> costs = new ArrayList<>();
                for (SpAttenPipelineJobs.Slot sl : slots) {
                    costs.add(cost(cfg, sl, expected(sl.job())));
                }
                long ran = slots.get(slots.size() - 1).outCycle() - slots.get(0).startCycle() + 1;
                runs.add(new long[] {ran, QueryCost.runCycles(costs)});
            }
        }
        return new Outcome(verdicts, cycles, mismatches, runs);
    }

    /**
     * Verdicts of a run's slots (in start order): bit-exact against {@link FixedPointAttention},
     * cycle-exact against {@link QueryCost#schedule} from the observed start cycles; {@code bad} is
     * the first mismatching lockstep cycle ({@code Long.MAX_VALUE}: none).
     */
    public static List<Verdict> verdicts(AttentionPipeline cfg, List<SpAttenPipelineJobs.Slot> slots, long bad) {
        List<SpAttenPipelineJobs.Slot> finished = new ArrayList<>();
        List<QueryCost> costs = new ArrayList<>();
        for (SpAttenPipelineJobs.Slot sl : slots) {
            if (sl.outCycle() >= 0) {
                finished.add(sl);
                costs.add(cost(cfg, sl, expected(sl.job())));
            }
        }
        long[] starts = finished.stream().mapToLong(SpAttenPipelineJobs.Slot::startCycle).toArray();
        long[] sched = QueryCost.schedule(costs, starts);
        java.util.Map<SpAttenPipelineJobs.Slot, Long> outAt = new java.util.IdentityHashMap<>();
        for (int i = 0; i < finished.size(); i++) {
            outAt.put(finished.get(i), sched[finished.size() + i]);
        }
        List<Verdict> out = new ArrayList<>();
        for (SpAttenPipelineJobs.Slot s : slots) {
            boolean matched = s.outCycle() >= 0 ? s.outCycle() < bad : s.startCycle() < bad;
            if (s.outCycle() < 0) {
                out.add(new Verdict(s, matched, false, false, -1));
                continue;
            }
            FixedPointAttention.Query want = expected(s.job());
            boolean bits = matched && Arrays.equals(want.out(), s.out()) && want.refetched() == s.refetched();
            long o = outAt.get(s);
            out.add(new Verdict(s, matched, bits, bits && !s.stalled() && o == s.outCycle(), o - s.startCycle() + 1));
        }
        return out;
    }

    /** The lockstep run of a recorded bench. */
    public static Lockstep lockstep(CompiledDesign design, SpAttenPipelineJobs bench) {
        Lockstep run = Lockstep.of(design, new SpAttenPipelineModel(bench.config())).cycles(bench.cycles());
        for (String port : SpAttenPipelineJobs.NARROW) {
            run.drive(port, c -> bench.input(port, c));
        }
        for (String port : SpAttenPipelineJobs.WIDE) {
            run.driveWide(port, c -> bench.wide(port, c));
        }
        return run;
    }
}
