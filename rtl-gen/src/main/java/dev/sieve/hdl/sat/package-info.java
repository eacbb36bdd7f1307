/**
 * Generators of the SAT-style N:M sparse training array: the sparse PE with its M-to-1 activation
 * multiplexers, the weight-stationary PE array with double-buffered weights and tile control, the
 * N:M pre-generation unit, and the BF16/FP32 arithmetic units they use. Each takes the same
 * {@link dev.sieve.hdl.sat.SatDatapath} (derived from {@code SatConfig}) as its Java cycle model.
 */
package dev.sieve.hdl.sat;
