/**
 * The SAT-style N:M sparse training accelerator's cycle model: exact per-tile cycles in closed form
 * ({@link dev.sieve.sim.sat.TileTiming}, the contract the generated RTL follows), DRAM stalls,
 * pre-generation, per layer and pass statistics and energy. A pure function of (config, workload):
 * no files, no global state.
 */
package dev.sieve.sim.sat;
