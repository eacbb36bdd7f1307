/**
 * Sparse matrices: compressed row ({@link dev.sieve.dataflow.sparse.Csr}), compressed column
 * ({@link dev.sieve.dataflow.sparse.Csc}) and coordinate ({@link dev.sieve.dataflow.sparse.Coo})
 * formats, the Matrix Market reader and writer (the SuiteSparse exchange format) and the seeded
 * Graph500 R-MAT generator.
 */
package dev.sieve.dataflow.sparse;
