package dev.sieve.sim.spatten;

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
 * <p>Per (step, layer), heads flow through a three-stage pipeline:
 * <ol>
 *   <li><b>fetch Q/K → Q·K → softmax → progressive-quantization check</b>:
 *       {@code max(hbm(Q + K bytes), ceil(queries·keys·D / qkMultipliers))}; a head flagged for
 *       refetch fetches its K LSBs once and recomputes Q·K for its one query (generation) or for
 *       {@link #SUMMARIZATION_REFETCH_ROWS} of its queries (summarization); softmax and
 *       token-importance accumulation are pipelined behind Q·K;</li>
 *   <li><b>local-V top-k</b>: per query, the top-k engine's cycles for keeping the V rows
 *       (mean of the engine algorithm's own runs), or a sort without the engine, shared over
 *       {@code topkEngines} engines;</li>
 *   <li><b>fetch V → prob·V → head importance</b>:
 *       {@code max(hbm(V bytes), ceil(queries·values·D / pvMultipliers))}.</li>
 * </ol>
 * A layer takes the pipelined sum {@code Σ_h max(a_h, b_h, c_h)} plus the first head's fill, but no
 * less than all its bytes over the HBM bandwidth; then cascade token and head pruning select the next
 * layer's tokens and heads with one top-k each (serial: the next layer's fetch needs the result).
 * Queries are all tokens at step 0 (summarization) and one token per later step. K and V of a head
 * are loaded into the K and V SRAMs once; a head whose K (or V) exceeds its SRAM is streamed from
 * HBM once per query instead.
 */
public final class SpAttenModel {
    /**
     * Fraction of a summarization head's query rows that recompute Q·K after an LSB refetch. Traces
     * flag refetch per (step, layer, head); at step 0 a head has hundreds of query rows, and SpAtten
     * reports that about 5.9% of rows refetch.
     */
    public static final double SUMMARIZATION_REFETCH_ROWS = 0.059;

    private final SpAttenConfig cfg;
    private final TopKCost topk;

    public SpAttenModel(SpAttenConfig cfg) {
        this.cfg = cfg;
        this.topk = TopKCost.of(cfg);
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
                steps.add(layer(hbm, it.getKey(), layers.get(li).getKey(), rows, next, headsTotal, f));
            }
        }
        return new Run(f, steps, hbm.bytesPerChannel());
    }

    private LayerStep layer(HbmModel hbm, int iteration, int layer, List<TraceRow> rows, List<TraceRow> next,
                            int headsTotal, SpAttenPolicy f) {
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
        long denseQ = (long) headsTotal * queries(iteration, seq) * bytes(d, word);
        long denseKV = (long) headsTotal * seq * bytes(d, word);
        long qB = 0, kB = 0, vB = 0, keysSum = 0, valuesSum = 0, topkCycles = 0, pipelined = 0;
        int refetches = 0;
        long qkMacs = 0, pvMacs = 0, sramBytes = 0;
        double comparisons = 0;
        long[] firstStages = null;
        for (TraceRow r : rows) {
            int keys = f.pruning() ? r.keysFetched() : seq;
            int values = f.pruning() ? r.valuesFetched() : keys;
            int q = queries(iteration, keys);
            int keyBits = f.quantization() && r.keyBits() > 0 ? Math.min(r.keyBits(), word) : word;
            int valueBits = f.quantization() && r.valueBits() > 0 ? Math.min(r.valueBits(), word) : word;
            boolean refetch = f.quantization() && r.requant() && r.requantBits() > 0 && keyBits < word;
            int lsb = refetch ? Math.min(r.requantBits(), word - keyBits) : 0;
            long qBytes = (long) q * bytes(d, word);
            long kBytes = (long) keys * bytes(d, keyBits) + (long) keys * bytes(d, lsb);
            long vBytes = (long) values * bytes(d, valueBits);
            // K and V of a head are loaded into their SRAMs once; a head too large for them is
            // streamed again for every query (only long summarization prompts hit this)
            if (q > 1 && kBytes > cfg.kSramBytes()) {
                kBytes *= q;
            }
            if (q > 1 && vBytes > cfg.vSramBytes()) {
                vBytes *= q;
            }
            long qk = ceilDiv((long) q * keys * d, cfg.qkMultipliers());
            // energy counts: every fetched byte is written into an on-chip buffer once; each Q.K
            // multiply reads its K element and each prob.V multiply its V element from SRAM
            qkMacs += (long) q * keys * d;
            pvMacs += (long) q * values * d;
            sramBytes += qBytes + kBytes + vBytes + (long) q * keys * bytes(d, keyBits)
                    + (long) q * values * bytes(d, valueBits);
            if (refetch) {
                // the refetched K LSBs stay in SRAM; only the rows whose max probability fell below tau recompute
                long rowsAgain = q == 1 ? 1 : (long) Math.ceil(q * SUMMARIZATION_REFETCH_ROWS);
                qk += ceilDiv(rowsAgain * keys * d, cfg.qkMultipliers());
                qkMacs += rowsAgain * keys * d;
                sramBytes += rowsAgain * keys * bytes(d, keyBits + lsb);
            }
            long a = Math.max(hbm.transfer(qBytes + kBytes), qk);
            long b = 0;
            if (values < keys) {
                double each = f.topkEngine() ? topk.engineCycles(keys, values) : topk.sortCycles(keys, values);
                b = (long) Math.ceil(q * each / cfg.topkEngines());
                // each engine cycle uses its P comparators
                comparisons += q * each * cfg.topkComparators();
            }
            long c = Math.max(hbm.transfer(vBytes), ceilDiv((long) q * values * d, cfg.pvMultipliers()));
            pipelined += Math.max(a, Math.max(b, c));
            if (firstStages == null) {
                firstStages = new long[] {a, b, c};
            }
            qB += qBytes;
            kB += kBytes;
            vB += vBytes;
            keysSum += keys;
            valuesSum += values;
            topkCycles += b;
            refetches += refetch ? 1 : 0;
        }
        long fill = firstStages[0] + firstStages[1] + firstStages[2]
                - Math.max(firstStages[0], Math.max(firstStages[1], firstStages[2]));
        long hbmCycles = hbm.cyclesFor(qB + kB + vB);
        long cycles = Math.max(pipelined + fill, hbmCycles);
        if (f.pruning() && next != null) {
            // cascade token pruning over this layer's tokens, then head pruning over its heads
            int keysNow = rows.get(0).keysFetched();
            int keysNext = next.get(0).keysFetched();
            long tokenSel = Math.round(f.topkEngine() ? topk.engineCycles(keysNow, keysNext)
                    : topk.sortCycles(keysNow, keysNext));
            long headSel = next.size() >= rows.size() ? 0 : Math.round(f.topkEngine()
                    ? topk.engineCycles(rows.size(), next.size()) : topk.sortCycles(rows.size(), next.size()));
            cycles += tokenSel + headSel;
            topkCycles += tokenSel + headSel;
            comparisons += (double) (tokenSel + headSel) * cfg.topkComparators();
        }
        return new LayerStep(iteration, layer, seq, rows.size(), headsTotal, keysSum, valuesSum, refetches, denseQ,
                qB, denseKV, kB, denseKV, vB, cycles, topkCycles, hbmCycles, qkMacs, pvMacs, sramBytes,
                Math.round(comparisons));
    }

    private static int queries(int iteration, int tokens) {
        return iteration == 0 ? tokens : 1;
    }

    /** Bytes of one row of {@code d} values of {@code bits} bits. */
    private static long bytes(int d, int bits) {
        return ceilDiv((long) d * bits, 8);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
