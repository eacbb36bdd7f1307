package dev.sieve.sim.sat;

import dev.sieve.arch.sat.SatVectorUnit;
import dev.sieve.dataflow.sat.NonGemmWork;
import dev.sieve.dataflow.sat.Pass;
import dev.sieve.dataflow.workload.PostOps;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated step: per pass statistics in execution order, pre-generation per layer, the vector
 * unit's jobs, and totals.
 *
 * @param arrayCycles      cycles the array is busy (sum over passes)
 * @param gemmCycles       the step without its non-GEMM work: the array plus pre-generation not hidden
 *                         behind it (what {@code totalCycles} was before the vector unit was modelled)
 * @param vector           the vector unit's jobs (forward and backward non-GEMM work, weight updates)
 * @param totalCycles      the whole step: GEMM passes, the non-GEMM work between them, and the weight
 *                         updates and pre-generation not hidden behind the array
 * @param tailPregenCycles the part of {@code totalCycles} that is pre-generation running after both the
 *                         array and the updates are done
 * @param nonGemmSource    whether the topology gave its non-GEMM operations or they were inferred
 */
public record SatResult(List<PassStats> passes, List<PregenStats> pregen, long arrayCycles, long gemmCycles,
                        List<VectorStats> vector, long totalCycles, long tailPregenCycles,
                        PostOps.Source nonGemmSource, SatVectorUnit vectorUnit) {

    public SatResult {
        passes = List.copyOf(passes);
        pregen = List.copyOf(pregen);
        vector = List.copyOf(vector);
    }

    public long cycles(Pass pass) {
        return passes.stream().filter(s -> s.pass() == pass).mapToLong(PassStats::cycles).sum();
    }

    public long stallCycles() {
        return passes.stream().mapToLong(PassStats::stallCycles).sum();
    }

    public long dramBytes() {
        return passes.stream().mapToLong(PassStats::dramBytes).sum()
                + pregen.stream().mapToLong(p -> p.dramReadBytes() + p.dramWriteBytes()).sum()
                + vector.stream().mapToLong(VectorStats::dramBytes).sum();
    }

    public double energyPj() {
        return passes.stream().mapToDouble(PassStats::energyPj).sum()
                + pregen.stream().mapToDouble(PregenStats::energyPj).sum()
                + vector.stream().mapToDouble(VectorStats::energyPj).sum();
    }

    /** Pre-generation cycles not hidden behind the array in the step without non-GEMM work. */
    public long exposedPregenCycles() {
        return gemmCycles - arrayCycles;
    }

    /** Cycles the non-GEMM work adds to the step: {@code totalCycles - gemmCycles}. */
    public long nonGemmCycles() {
        return totalCycles - gemmCycles;
    }

    public long macs() {
        return passes.stream().mapToLong(PassStats::macs).sum();
    }

    /**
     * Where the whole step's cycles go, by kind of non-GEMM work (the exposed cycles of the vector
     * unit's jobs, split by {@link VectorStats#exposedByKind}); with the array's cycles and
     * {@code tailPregenCycles} they sum to {@code totalCycles}.
     */
    public Map<NonGemmWork.Kind, Double> exposedByKind(double dramBytesPerCycle) {
        Map<NonGemmWork.Kind, Double> out = new EnumMap<>(NonGemmWork.Kind.class);
        for (NonGemmWork.Kind k : NonGemmWork.Kind.values()) {
            out.put(k, 0.0);
        }
        for (VectorStats v : vector) {
            v.exposedByKind(vectorUnit.opsPerCycle(), dramBytesPerCycle).forEach((k, c) -> out.merge(k, c, Double::sum));
        }
        return out;
    }

    /** Exposed cycles of the vector unit's jobs of one phase. */
    public long exposedCycles(NonGemmWork.Phase phase) {
        return vector.stream().filter(v -> v.job().phase() == phase).mapToLong(VectorStats::exposedCycles).sum();
    }
}
