/**
 * Java cycle models of the PIUMA blocks, written from their specifications (not from the
 * generators); the golden side of the Verilator lockstep tests in {@code verilator-tests}.
 */
package dev.sieve.hdl.piuma.model;
