package dev.sieve.sim.sat;

/**
 * Pre-generation of one layer's compressed forward and backward weights after its weight update.
 *
 * @param cycles        the unit's busy cycles: max(groups / C, DRAM bytes / bandwidth)
 * @param startCycle    when it starts: after the layer's weight gradient and after the previous layer's pre-generation
 * @param sramEnergyPj  the compressed copies staged through a buffer
 * @param exposedCycles the part that ends after the array finished the step (it delays the next step)
 */
public record PregenStats(String layer, int layerIndex, long groups, long cycles, long startCycle, long exposedCycles,
                          long dramReadBytes, long dramWriteBytes, double sramEnergyPj, double dramEnergyPj) {

    public double energyPj() {
        return sramEnergyPj + dramEnergyPj;
    }
}
