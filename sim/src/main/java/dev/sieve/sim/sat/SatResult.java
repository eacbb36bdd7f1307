package dev.sieve.sim.sat;

import dev.sieve.dataflow.sat.Pass;
import java.util.List;

/**
 * One simulated step: per pass statistics in execution order, pre-generation per layer, and totals.
 *
 * @param arrayCycles  cycles the array is busy (sum over passes)
 * @param totalCycles  the step's cycles: array plus pre-generation not hidden behind it
 */
public record SatResult(List<PassStats> passes, List<PregenStats> pregen, long arrayCycles, long totalCycles) {

    public SatResult {
        passes = List.copyOf(passes);
        pregen = List.copyOf(pregen);
    }

    public long cycles(Pass pass) {
        return passes.stream().filter(s -> s.pass() == pass).mapToLong(PassStats::cycles).sum();
    }

    public long stallCycles() {
        return passes.stream().mapToLong(PassStats::stallCycles).sum();
    }

    public long dramBytes() {
        return passes.stream().mapToLong(PassStats::dramBytes).sum()
                + pregen.stream().mapToLong(p -> p.dramReadBytes() + p.dramWriteBytes()).sum();
    }

    public double energyPj() {
        return passes.stream().mapToDouble(PassStats::energyPj).sum()
                + pregen.stream().mapToDouble(PregenStats::energyPj).sum();
    }

    public long exposedPregenCycles() {
        return totalCycles - arrayCycles;
    }

    public long macs() {
        return passes.stream().mapToLong(PassStats::macs).sum();
    }
}
