/**
 * Attention workloads for the SpAtten-style accelerator: model shapes (BERT, GPT-2), the algorithm
 * policy run on the hardware ({@link dev.sieve.dataflow.spatten.SpAttenPolicy}: techniques, prune
 * ratios, cascade schedule, progressive quantization), and the reader of recorded per-head traces. A trace row says
 * what one (generation step, layer, head) fetched; the cost of it is computed in {@code sim}.
 */
package dev.sieve.dataflow.spatten;
