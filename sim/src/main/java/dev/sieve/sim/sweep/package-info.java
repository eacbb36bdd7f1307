/**
 * Design-space sweeps of any {@link dev.sieve.sim.family.AcceleratorFamily}: a YAML spec names the
 * family, parameter values to combine (cartesian product filtered by constraints) and workloads;
 * points run in parallel, each result is saved atomically the moment it is done, so an interrupted
 * sweep resumes where it stopped and ends with the same CSVs as an uninterrupted one. Summaries
 * mark the Pareto front; plots are written as PNG and SVG. Nothing here names a family.
 */
package dev.sieve.sim.sweep;
