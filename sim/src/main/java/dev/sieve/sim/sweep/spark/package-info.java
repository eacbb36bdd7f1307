/**
 * Sweeps beyond one machine: {@link dev.sieve.sim.sweep.spark.SparkEngine} evaluates a sweep's points on
 * Apache Spark executors and hands them back to the same runner, so the saved points and the reports are
 * the in-process run's, byte for byte. Spark is a provided dependency: it is on the class path under
 * {@code spark-submit} or the {@code sieve-spark} launcher, never inside {@code sieve.jar}.
 */
package dev.sieve.sim.sweep.spark;
