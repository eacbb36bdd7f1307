/**
 * The accelerator runtime: devices with buffers, GEMM launches whose weight operand is dense or
 * N:M-compressed, weight pre-generation, synchronization and counters. Two backends: the SAT model
 * (BF16 x BF16 -> FP32 in the array's reduction order, cycles and energy from the SAT cycle model)
 * and a plain CPU reference.
 */
package dev.sieve.driver;
