/**
 * Sieve's Java HDL layer: a small closed IR ({@link dev.sieve.hdl.Expr} records over
 * {@link dev.sieve.hdl.Signal}s), a {@link dev.sieve.hdl.Component} builder with when/switch
 * blocks, elaboration checks (widths, drivers, latches, combinational loops, unused signals) and
 * a deterministic Verilog-2005 emitter. Widths never change silently: resizing is explicit.
 */
package dev.sieve.hdl;
