/**
 * Design-space sweeps of any {@link dev.sieve.sim.family.AcceleratorFamily}: a YAML spec names the
 * family, parameter values to combine (cartesian product filtered by constraints, made lazily) and
 * workloads; a {@link dev.sieve.sim.sweep.PointEngine} (this process's threads, or Apache Spark)
 * evaluates the points, and each result is saved atomically under its content key the moment it is
 * done ({@link dev.sieve.sim.sweep.PointStore}), so an interrupted sweep resumes where it stopped and
 * ends with the same CSVs as an uninterrupted one. Summaries mark the Pareto front; plots are written
 * as PNG and SVG, and a self-contained {@code report.html}. Nothing here names a family.
 */
package dev.sieve.sim.sweep;
