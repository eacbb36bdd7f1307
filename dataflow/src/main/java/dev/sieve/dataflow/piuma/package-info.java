/**
 * Sparse matrix-matrix multiplication (C = A x B) as it runs on a PIUMA-style machine: inner
 * product, outer product with merge, row-wise Gustavson with a dense accumulator and the three
 * SMASH versions (atomic scratchpad hashing). Each {@link dev.sieve.dataflow.piuma.SpgemmRun}
 * computes the product and, as it goes, one operation stream per hardware thread (loads, stores,
 * atomics, compute, barriers, with addresses) that the cycle model in {@code sim} times.
 * {@link dev.sieve.dataflow.piuma.ReferenceSpgemm} is the independent check.
 */
package dev.sieve.dataflow.piuma;
