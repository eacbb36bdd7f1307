/**
 * The construction library on top of the HDL IR: reusable blocks (counter, FIFO, stream
 * pipeline stage, multiply-accumulate, adder tree, delay line) as components, plus
 * {@link dev.sieve.hdl.lib.Logic} helpers that build the same structures inline in any component.
 * Nothing here is a second IR: every block is ordinary {@link dev.sieve.hdl.Component} code.
 */
package dev.sieve.hdl.lib;
