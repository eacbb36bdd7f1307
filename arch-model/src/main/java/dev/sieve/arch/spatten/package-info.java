/**
 * The SpAtten-style sparse attention accelerator as hardware: {@link dev.sieve.arch.spatten.SpAttenConfig}
 * with its top-k engine and its presets, taken by the cost model, the top-k generator and its golden
 * model; {@link dev.sieve.arch.spatten.SpAttenConfig#queryCost} states the per-query timing once, for
 * the cycle model and the pipeline RTL. Pruning
 * and quantization policy is a separate input, never a field of the hardware record.
 */
package dev.sieve.arch.spatten;
