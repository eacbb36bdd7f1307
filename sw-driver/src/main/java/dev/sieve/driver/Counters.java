package dev.sieve.driver;

import dev.sieve.dataflow.sat.Pass;

/**
 * What a device has done since its counters were last reset. Cycles and energy are modelled (zero
 * on the CPU reference); {@code denseCycles} are the cycles the same launches would take with every
 * weight operand dense, on the same array.
 *
 * @param launches        GEMM launches
 * @param pregens         weight pre-generation launches
 * @param cycles          modelled array cycles per pass, indexed by {@link Pass#ordinal()}
 * @param denseCycles     modelled array cycles per pass had every operand been dense
 * @param pregenCycles    busy cycles of the pre-generation unit (beside the array)
 * @param macs            dense-equivalent multiply-accumulates
 * @param effectiveMacs   multiplications the array performs (kept weights only)
 * @param energyPj        modelled energy (MACs, SRAM, DRAM), picojoules
 * @param exactOutputs    outputs whose operands needed the bit-level FP32 path (subnormal range or non-finite)
 */
public record Counters(long launches, long pregens, long[] cycles, long[] denseCycles, long pregenCycles, long macs,
                       long effectiveMacs, double energyPj, long exactOutputs) {

    public static Counters zero() {
        return new Counters(0, 0, new long[3], new long[3], 0, 0, 0, 0, 0);
    }

    public long cycles(Pass p) {
        return cycles[p.ordinal()];
    }

    public long denseCycles(Pass p) {
        return denseCycles[p.ordinal()];
    }

    /** Array cycles over all passes. */
    public long arrayCycles() {
        return cycles[0] + cycles[1] + cycles[2];
    }

    public long denseArrayCycles() {
        return denseCycles[0] + denseCycles[1] + denseCycles[2];
    }

    /** Counters accumulated since {@code earlier} (a snapshot of the same device). */
    public Counters minus(Counters earlier) {
        long[] c = new long[3];
        long[] d = new long[3];
        for (int i = 0; i < 3; i++) {
            c[i] = cycles[i] - earlier.cycles[i];
            d[i] = denseCycles[i] - earlier.denseCycles[i];
        }
        return new Counters(launches - earlier.launches, pregens - earlier.pregens, c, d,
                pregenCycles - earlier.pregenCycles, macs - earlier.macs, effectiveMacs - earlier.effectiveMacs,
                energyPj - earlier.energyPj, exactOutputs - earlier.exactOutputs);
    }
}
