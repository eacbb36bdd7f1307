/**
 * Sieve's floating-point semantics for the SAT datapath: BF16 x BF16 products exact in FP32, FP32
 * additions rounded to nearest even, subnormals flushed to zero, canonical NaN. These integer
 * implementations are the reference that the Java models and the generated RTL both follow.
 */
package dev.sieve.arch.fp;
