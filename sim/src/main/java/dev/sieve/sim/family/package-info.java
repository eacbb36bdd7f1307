/**
 * The one entry point every accelerator family implements ({@link dev.sieve.sim.family.AcceleratorFamily}):
 * parameters of a design point, loading a workload, and evaluating a point into a result table with
 * units. Families are found with {@link java.util.ServiceLoader}; sweeps know no family by name.
 */
package dev.sieve.sim.family;
