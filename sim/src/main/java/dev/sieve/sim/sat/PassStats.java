package dev.sieve.sim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.Pass;
import dev.sieve.dataflow.sat.Schedule;

/**
 * The cost of one pass of one layer under its chosen schedule.
 *
 * @param cycles        all cycles of the pass ({@link TileTiming.PassClock}: exposed reads, steps, exposed writes)
 * @param stallCycles   the part of {@code cycles} beyond the array's own {@link TileTiming#sequenceCycles}: memory and control exposed
 * @param macs          dense-equivalent multiply-accumulates (K * Cout * P)
 * @param effectiveMacs multiplications actually performed (kept weights only)
 */
public record PassStats(String layer, int layerIndex, Pass pass, NmPattern pattern, Schedule schedule, long tiles,
                        long steps, long cycles, long stallCycles, long macs, long effectiveMacs, long dramReadBytes,
                        long dramWriteBytes, long sramBytes, double macEnergyPj, double sramEnergyPj,
                        double dramEnergyPj) {

    public long dramBytes() {
        return dramReadBytes + dramWriteBytes;
    }

    public double energyPj() {
        return macEnergyPj + sramEnergyPj + dramEnergyPj;
    }

    /** Multiplier utilization: performed multiplications / (cycles x R*C*L). */
    public double utilization() {
        return cycles == 0 ? 0 : (double) effectiveMacs / ((double) cycles * schedule.config().peakMacsPerCycle());
    }
}
