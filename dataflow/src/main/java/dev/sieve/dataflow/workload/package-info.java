/**
 * What runs: layers read from SCALE-Sim topology CSVs (convolution and GEMM mode, with the optional
 * v3 {@code Sparsity} column) and their lowering to matrix products. Readers report a bad row by
 * file, line and field; nothing here knows about any accelerator.
 */
package dev.sieve.dataflow.workload;
