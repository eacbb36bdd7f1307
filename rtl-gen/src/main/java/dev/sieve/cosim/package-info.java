/**
 * Verilator co-simulation: compiles a Verilog design once per content hash into a native model
 * with a flat C ABI, drives it from Java through JNA (single calls or whole batches of cycles), and
 * checks it cycle by cycle against a Java {@link dev.sieve.cosim.CycleModel}, writing a VCD waveform
 * of the first failing run.
 */
package dev.sieve.cosim;
