package dev.sieve.sim.spatten;

import dev.sieve.io.ReportWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-layer figures of a run against its dense baseline, and the CSV files they are written to.
 * Every column carries its unit: {@code _bytes}, {@code _cycles}, {@code _x} (a ratio dense / SpAtten),
 * {@code _fraction} (of the dense count).
 */
public final class SpAttenReport {

    /** One layer, summed over generation steps. */
    public record Layer(int layer, int steps, double headsKeptMean, int headsTotal, double tokensKeptFraction,
                        double valuesKeptFraction, double refetchRate, long kDenseBytes, long kBytes,
                        long vDenseBytes, long vBytes, long qDenseBytes, long qBytes, long denseCycles, long cycles,
                        long topkCycles, SpAttenEnergy energy, long fp32DenseBytes) {
        public long denseBytes() {
            return kDenseBytes + vDenseBytes + qDenseBytes;
        }

        public long bytes() {
            return kBytes + vBytes + qBytes;
        }

        public double kReduction() {
            return ratio(kDenseBytes, kBytes);
        }

        public double vReduction() {
            return ratio(vDenseBytes, vBytes);
        }

        public double dramReduction() {
            return ratio(denseBytes(), bytes());
        }

        /** DRAM reduction against a dense run at 32-bit floats. */
        public double dramReductionFp32() {
            return ratio(fp32DenseBytes, bytes());
        }

        public double speedup() {
            return ratio(denseCycles, cycles);
        }
    }

    /**
     * A run beside its dense baseline (same trace, dense features), with the energy of both under one
     * table: the totals {@code simulate spatten} prints and a sweep point reports.
     */
    public record Totals(SpAttenModel.Run run, SpAttenModel.Run dense, SpAttenEnergy energy,
                         SpAttenEnergy denseEnergy) {
        public double speedup() {
            return ratio(dense.cycles(), run.cycles());
        }

        public double dramReduction() {
            return ratio(run.denseBytes(), run.bytes());
        }

        /** DRAM reduction against a dense run at 32-bit floats (every Q, K and V element 4 bytes). */
        public double dramReductionFp32() {
            return ratio(run.fp32DenseBytes(), run.bytes());
        }
    }

    /** The totals of {@code run} beside {@code dense}, energy under {@code t}. */
    public static Totals totals(SpAttenModel.Run run, SpAttenModel.Run dense, dev.sieve.arch.EnergyTable t) {
        return new Totals(run, dense, SpAttenEnergy.of(run, t), SpAttenEnergy.of(dense, t));
    }

    public static final List<String> LAYER_COLUMNS = List.of("layer", "steps", "heads_kept_mean", "heads_total",
            "tokens_kept_fraction", "values_kept_fraction", "refetch_rate_fraction", "k_dense_bytes", "k_bytes",
            "k_reduction_x", "v_dense_bytes", "v_bytes", "v_reduction_x", "q_dense_bytes", "q_bytes",
            "dram_dense_bytes", "dram_bytes", "dram_reduction_x", "dense_cycles", "cycles", "topk_cycles",
            "speedup_x", "hbm_energy_pJ", "sram_energy_pJ", "mac_energy_pJ", "topk_energy_pJ", "energy_pJ",
            "dram_fp32_dense_bytes", "dram_reduction_fp32_x");

    public static final List<String> STEP_COLUMNS = List.of("iteration", "layer", "sequence_length_tokens",
            "heads_kept", "keys_fetched_rows", "values_fetched_rows", "refetch_heads", "k_dense_bytes", "k_bytes",
            "v_dense_bytes", "v_bytes", "q_dense_bytes", "q_bytes", "dense_cycles", "cycles", "topk_cycles",
            "hbm_cycles", "energy_pJ");

    private SpAttenReport() {
    }

    /** As {@link #layers(SpAttenModel.Run, SpAttenModel.Run, dev.sieve.arch.EnergyTable)} with SpAtten's default table. */
    public static List<Layer> layers(SpAttenModel.Run run, SpAttenModel.Run dense) {
        return layers(run, dense, SpAttenEnergy.defaultTable());
    }

    /** Per-layer sums of {@code run} beside {@code dense} (same trace, dense features), energy under {@code t}. */
    public static List<Layer> layers(SpAttenModel.Run run, SpAttenModel.Run dense, dev.sieve.arch.EnergyTable t) {
        Map<Integer, List<LayerStep[]>> by = new TreeMap<>();
        for (int i = 0; i < run.steps().size(); i++) {
            LayerStep s = run.steps().get(i);
            by.computeIfAbsent(s.layer(), l -> new ArrayList<>()).add(new LayerStep[] {s, dense.steps().get(i)});
        }
        List<Layer> out = new ArrayList<>();
        for (Map.Entry<Integer, List<LayerStep[]>> e : by.entrySet()) {
            long kd = 0, k = 0, vd = 0, v = 0, qd = 0, q = 0, dc = 0, c = 0, tc = 0, keys = 0, values = 0, seqHeads = 0;
            long fp32 = 0;
            double heads = 0;
            long refetch = 0, rows = 0;
            int headsTotal = 0;
            List<LayerStep> own = new ArrayList<>();
            for (LayerStep[] p : e.getValue()) {
                LayerStep s = p[0];
                own.add(s);
                kd += s.kDenseBytes();
                k += s.kBytes();
                vd += s.vDenseBytes();
                v += s.vBytes();
                qd += s.qDenseBytes();
                q += s.qBytes();
                fp32 += s.fp32DenseBytes();
                c += s.cycles();
                tc += s.topkCycles();
                dc += p[1].cycles();
                heads += s.headsKept();
                headsTotal = s.headsTotal();
                keys += s.keysFetched();
                values += s.valuesFetched();
                seqHeads += (long) s.sequenceLength() * s.headsKept();
                refetch += s.refetches();
                rows += s.headsKept();
            }
            int n = e.getValue().size();
            out.add(new Layer(e.getKey(), n, heads / n, headsTotal, (double) keys / seqHeads, (double) values / seqHeads,
                    (double) refetch / rows, kd, k, vd, v, qd, q, dc, c, tc, SpAttenEnergy.of(own, t), fp32));
        }
        return out;
    }

    /** Writes {@code layers.csv}: one row per layer (atomically, through {@link ReportWriter}). */
    public static void writeLayers(Path file, List<Layer> layers) {
        ReportWriter.stream(file, LAYER_COLUMNS, w -> {
            for (Layer l : layers) {
                w.row(l.layer(), l.steps(), l.headsKeptMean(), l.headsTotal(), l.tokensKeptFraction(),
                        l.valuesKeptFraction(), l.refetchRate(), l.kDenseBytes(), l.kBytes(), l.kReduction(),
                        l.vDenseBytes(), l.vBytes(), l.vReduction(), l.qDenseBytes(), l.qBytes(), l.denseBytes(),
                        l.bytes(), l.dramReduction(), l.denseCycles(), l.cycles(), l.topkCycles(), l.speedup(),
                        l.energy().hbmPj(), l.energy().sramPj(), l.energy().macPj(), l.energy().topkPj(),
                        l.energy().totalPj(), l.fp32DenseBytes(), l.dramReductionFp32());
            }
        });
    }

    /** Writes {@code steps.csv}: one row per (generation step, layer) of {@code run} beside {@code dense}. */
    public static void writeSteps(Path file, SpAttenModel.Run run, SpAttenModel.Run dense,
                                  dev.sieve.arch.EnergyTable t) {
        ReportWriter.stream(file, STEP_COLUMNS, w -> {
            for (int i = 0; i < run.steps().size(); i++) {
                LayerStep s = run.steps().get(i);
                w.row(s.iteration(), s.layer(), s.sequenceLength(), s.headsKept(), s.keysFetched(), s.valuesFetched(),
                        s.refetches(), s.kDenseBytes(), s.kBytes(), s.vDenseBytes(), s.vBytes(), s.qDenseBytes(),
                        s.qBytes(), dense.steps().get(i).cycles(), s.cycles(), s.topkCycles(), s.hbmCycles(),
                        SpAttenEnergy.of(List.of(s), t).totalPj());
            }
        });
    }

    public static double ratio(long dense, long actual) {
        return actual == 0 ? Double.POSITIVE_INFINITY : (double) dense / actual;
    }
}
