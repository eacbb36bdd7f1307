/**
 * The SpAtten-style accelerator's cost model and functional path: one query per generation trace
 * row (fetch, Q·K, softmax, progressive-quantization refetch, local-V top-k, V fetch and prob·V, priced
 * by {@code SpAttenConfig.queryCost}), summarization heads without local V, an HBM model counting
 * bytes per channel, and the top-k engine's own cycle counts.
 * {@link dev.sieve.sim.spatten.FixedPointAttention} computes real outputs in 12-bit fixed point.
 */
package dev.sieve.sim.spatten;
