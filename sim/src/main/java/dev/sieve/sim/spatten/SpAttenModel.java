package dev.sieve.sim.spatten;

import dev.sieve.arch.spatten.QueryCost;
import dev.sieve.arch.spatten.QueryShape;
import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.dataflow.spatten.AttentionTrace;
import dev.sieve.dataflow.spatten.SpAttenPolicy;
import dev.sieve.dataflow.spatten.TraceRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cycle-level cost model of the SpAtten-style accelerator: the hardware ({@link SpAttenConfig})
 * running a policy ({@link SpAttenPolicy}: which techniques are on) over a trace (recorded or
 * synthesized from a workload and the policy's cascade schedule). With pruning on, the trace's
 * kept keys, values and heads are fetched; with quantization on, its K/V bit widths and refetches.
 *
 * <p><b>Generation</b> (every released GPT-2 trace): each row is one query, one request to the
 * pipeline, priced by {@link SpAttenConfig#queryCost} in four stages that overlap consecutive
 * queries (Q·K: fetch Q/K, Q·K; softmax: the exponential pass, the refetch decision, and on a
 * refetch the LSB fetch and a second Q·K and exponential pass once the array is free; select: the division
 * pass filling the one top-k engine, then local-V selection; value: fetch V and prob·V). A layer's
 * queries run back to back, so it takes {@link QueryCost#runCycles} of their costs, the schedule the
 * pipeline RTL meets cycle for cycle. With 6-bit K two consecutive heads are fused into one request, as the released design
 * does (its fetcher supports 6-bit words only as a pair): the pair's selection latency is charged
 * once, on the first head; the second still streams its scores through the engine. No top-k runs
 * when a query keeps every value.
 *
 * <p><b>Summarization</b> (BERT-style, {@link AttentionTrace#summarization}): each row is one
 * (layer, head) whose kept tokens are all queries; K and V are loaded into their SRAMs once (a head
 * too large for them is streamed again for every query), every query runs Q·K and prob·V, and there
 * is neither local-V pruning nor a per-query top-k, as in SpAtten's BERT behaviour model; a
 * refetch recomputes {@link #SUMMARIZATION_REFETCH_ROWS} of the head's queries.
 *
 * <p>A layer takes no less than all its bytes over the HBM bandwidth. Then cascade pruning selects
 * the next layer's tokens (once per layer in generation, once per kept head in a summarization)
 * and heads on the same engine, serially: the next layer's fetch needs the result.
 */
public final class SpAttenModel {
    /**
     * Fraction of a summarization head's query rows that recompute Q·K after an LSB refetch (SpAtten
     * reports that about 5.9% of rows refetch).
     */
    public static final double SUMMARIZATION_REFETCH_ROWS = 0.059;

    /** The K width the released design fetches as a fused pair of heads (its fetcher's (6, 2) profile). */
    public static final int FUSED_KEY_BITS = 6;

    private final SpAttenConfig cfg;
    private final TopKCost topk;

    public SpAttenModel(SpAttenConfig cfg) {
        this.cfg = cfg;
        this.topk = TopKCost.of(cfg);
    }

    /** The hardware this model prices. */
    public SpAttenConfig config() {
        return cfg;
    }

    /** The result of one run: per (step, layer) costs and the HBM channel counters. */
    public record Run(SpAttenPolicy policy, List<LayerStep> steps, long[] hbmBytesPerChannel) {
        public long cycles() {
            return steps.stream().mapToLong(LayerStep::cycles).sum();
        }

        public long bytes() {
            return steps.stream().mapToLong(LayerStep::bytes).sum();
        }

        public long denseBytes() {
            return steps.stream().mapToLong(LayerStep::denseBytes).sum();
        }

        /** The queries' intervals summed by the unit that set them. */
        public LayerStep.Bound bound() {
            return steps.stream().map(LayerStep::bound).reduce(LayerStep.Bound.NONE, LayerStep.Bound::plus);
        }

        /** Bytes of the dense run at 32-bit floats. */
        public long fp32DenseBytes() {
            return steps.stream().mapToLong(LayerStep::fp32DenseBytes).sum();
        }
    }

    /** Runs {@code trace} under {@code f}, which must fit the hardware ({@link SpAttenPolicy#requireFits}). */
    public Run run(AttentionTrace trace, SpAttenPolicy f) {
        f.requireFits(cfg);
        HbmModel hbm = new HbmModel(cfg.hbmChannels(), cfg.hbmBytesPerCycle());
        int headsTotal = trace.heads();
        List<LayerStep> steps = new ArrayList<>();
        for (Map.Entry<Integer, Map<Integer, List<TraceRow>>> it : trace.byIterationAndLayer().entrySet()) {
            List<Map.Entry<Integer, List<TraceRow>>> layers = new ArrayList<>(it.getValue().entrySet());
            for (int li = 0; li < layers.size(); li++) {
                List<TraceRow> rows = layers.get(li).getValue();
                List<TraceRow> next = li + 1 < layers.size() ? layers.get(li + 1).getValue() : null;
                steps.add(layer(hbm, trace.summarization(), it.getKey(), layers.get(li).getKey(), rows, next,
                        headsTotal, f));
            }
        }
        return new Run(f, steps, hbm.bytesPerChannel());
    }

    /** Cycles the engine (or, without it, a sort) needs after the last score to keep k of n; 0 when k >= n. */
    public long selectionCycles(int n, int k, SpAttenPolicy f) {
        return (long) Math.ceil(f.topkEngine() ? topk.engineCycles(n, k) : topk.sortCycles(n, k));
    }

    /** Running sums of one layer. */
    private static final class Sums {
        long qB, kB, vB, keys, values, topkCycles, pipelined, qkMacs, pvMacs, sramBytes, fill = -1;
        long boundScore, boundTopk, boundValue, boundHbm;
        int refetches;
        double comparisons;

        /** Adds an interval of {@code cycles} set by the unit of the given costs (ties: score, top-k, value, HBM). */
        void add(long cycles, long score, long topk, long value) {
            pipelined += cycles;
            if (cycles == score) {
                boundScore += cycles;
            } else if (cycles == topk) {
                boundTopk += cycles;
            } else if (cycles == value) {
                boundValue += cycles;
            } else {
                boundHbm += cycles;
            }
        }
    }

    private LayerStep layer(HbmModel hbm, boolean summarization, int iteration, int layer, List<TraceRow> rows,
                            List<TraceRow> next, int headsTotal, SpAttenPolicy f) {
        int word = cfg.wordBits();
        TraceRow first = rows.get(0);
        if (!f.pruning() && rows.size() < headsTotal) {
            // without head pruning every head of the model runs (the trace has rows only for kept heads)
            List<TraceRow> all = new ArrayList<>(rows);
            for (int h = rows.size(); h < headsTotal; h++) {
                all.add(first);
            }
            rows = all;
        }
        int seq = first.sequenceLength();
        int d = first.headDim();
        int denseQueries = summarization ? seq : 1;
        long denseQ = (long) headsTotal * denseQueries * bytes(d, word);
        long denseKV = (long) headsTotal * seq * bytes(d, word);
        long fp32 = (long) headsTotal * (denseQueries + 2L * seq) * bytes(d, 32);
        Sums s = new Sums();
        List<QueryCost> queries = new ArrayList<>();
        int pairPosition = 0;
        for (TraceRow r : rows) {
            int keys = f.pruning() ? r.keysFetched() : seq;
            int values = f.pruning() && !summarization ? r.valuesFetched() : keys;
            int keyBits = f.quantization() && r.keyBits() > 0 ? Math.min(r.keyBits(), word) : word;
            int valueBits = f.quantization() && r.valueBits() > 0 ? Math.min(r.valueBits(), word) : word;
            boolean refetch = f.quantization() && r.requant() && r.requantBits() > 0 && keyBits < word;
            int lsb = refetch ? Math.min(r.requantBits(), word - keyBits) : 0;
            s.refetches += refetch ? 1 : 0;
            s.keys += keys;
            s.values += values;
            if (summarization) {
                summarizationHead(hbm, s, d, keys, keyBits, lsb, valueBits);
                continue;
            }
            boolean fused = keyBits == FUSED_KEY_BITS;
            boolean partner = fused && pairPosition % 2 == 1;
            pairPosition = fused ? pairPosition + 1 : 0;
            long selection = values < keys && !partner ? selectionCycles(keys, values, f) : 0;
            QueryShape shape = new QueryShape(d, keys, values, keyBits, lsb, valueBits, word, selection);
            QueryCost c = cfg.queryCost(shape);
            hbm.transfer(shape.queryBytes() + shape.keyBytes());
            hbm.transfer(shape.refetchBytes());
            hbm.transfer(shape.valueBytes());
            s.qB += shape.queryBytes();
            s.kB += shape.keyBytes() + shape.refetchBytes();
            s.vB += shape.valueBytes();
            // energy counts: every fetched byte is written into an on-chip buffer once; each Q.K
            // multiply reads its K element and each prob.V multiply its V element from SRAM; a refetch
            // recomputes Q.K over the full-width keys
            s.qkMacs += (long) keys * d * (refetch ? 2 : 1);
            s.pvMacs += (long) values * d;
            s.sramBytes += shape.queryBytes() + shape.keyBytes() + shape.refetchBytes() + shape.valueBytes()
                    + keys * bytes(d, keyBits) + values * bytes(d, valueBits)
                    + (refetch ? keys * bytes(d, keyBits + lsb) : 0);
            s.comparisons += (double) selection * cfg.topkComparators();
            queries.add(c);
            // the engine is busy for the select stage of a query that selects (fill, then select); a
            // select stage without a selection is the softmax's division pass, counted with the score
            s.topkCycles += c.selects() ? c.selectStage() : 0;
            s.add(c.interval(), c.selects() ? c.scoreStage() : Math.max(c.scoreStage(), c.selectStage()),
                    c.selects() ? c.selectStage() : -1, c.valueStage());
        }
        long hbmCycles = hbm.cyclesFor(s.qB + s.kB + s.vB);
        long run = queries.isEmpty() ? s.pipelined + Math.max(0, s.fill) : QueryCost.runCycles(queries);
        long cycles = Math.max(run, hbmCycles);
        if (f.pruning() && next != null) {
            // cascade token pruning over this layer's tokens (per kept head in a summarization), then head pruning
            int keysNow = rows.get(0).keysFetched();
            int keysNext = next.get(0).keysFetched();
            long tokenSel = selectionCycles(keysNow, keysNext, f) * (summarization ? rows.size() : 1);
            long headSel = next.size() >= rows.size() ? 0 : selectionCycles(rows.size(), next.size(), f);
            cycles += tokenSel + headSel;
            s.topkCycles += tokenSel + headSel;
            s.comparisons += (double) (tokenSel + headSel) * cfg.topkComparators();
        }
        return new LayerStep(iteration, layer, seq, rows.size(), headsTotal, s.keys, s.values, s.refetches, denseQ,
                s.qB, denseKV, s.kB, denseKV, s.vB, cycles, s.topkCycles, hbmCycles, s.qkMacs, s.pvMacs, s.sramBytes,
                Math.round(s.comparisons), fp32,
                new LayerStep.Bound(s.boundScore, s.boundTopk, s.boundValue, s.boundHbm));
    }

    /**
     * One summarization head: its {@code keys} kept tokens are all queries. Q·K runs query after query
     * ({@code q · qkCycles}) while Q and K arrive; prob·V of each query follows its Q·K on the other
     * array; the head's fill is one query's shorter stage.
     */
    private void summarizationHead(HbmModel hbm, Sums s, int d, int keys, int keyBits, int lsb, int valueBits) {
        int q = keys;
        int word = cfg.wordBits();
        long qBytes = (long) q * bytes(d, word);
        long kBytes = (long) keys * bytes(d, keyBits);
        long lsbBytes = (long) keys * bytes(d, lsb);
        long vBytes = (long) keys * bytes(d, valueBits);
        // K and V of a head are loaded into their SRAMs once; a head too large for them is streamed
        // again for every query
        if (q > 1 && kBytes + lsbBytes > cfg.kSramBytes()) {
            kBytes *= q;
            lsbBytes *= q;
        }
        if (q > 1 && vBytes > cfg.vSramBytes()) {
            vBytes *= q;
        }
        long qkEach = cfg.qkCycles(keys, d);
        long pvEach = cfg.pvCycles(keys, d);
        long rowsAgain = lsb > 0 ? (long) Math.ceil(q * SUMMARIZATION_REFETCH_ROWS) : 0;
        long a = Math.max(hbm.transfer(qBytes + kBytes + lsbBytes), (q + rowsAgain) * qkEach);
        long c = Math.max(hbm.transfer(vBytes), q * pvEach);
        s.add(Math.max(Math.max(a, c), cfg.hbmCycles(qBytes + kBytes + lsbBytes + vBytes)), a, -1, c);
        if (s.fill < 0) {
            s.fill = Math.min(qkEach, pvEach);
        }
        s.qB += qBytes;
        s.kB += kBytes + lsbBytes;
        s.vB += vBytes;
        s.qkMacs += (q + rowsAgain) * keys * d;
        s.pvMacs += (long) q * keys * d;
        s.sramBytes += qBytes + kBytes + lsbBytes + vBytes + (long) q * keys * bytes(d, keyBits)
                + (long) q * keys * bytes(d, valueBits) + rowsAgain * keys * bytes(d, keyBits + lsb);
    }

    /** Bytes of one row of {@code d} values of {@code bits} bits. */
    private static long bytes(int d, int bits) {
        return ceilDiv((long) d * bits, 8);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
