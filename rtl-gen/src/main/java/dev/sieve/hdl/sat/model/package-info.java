/**
 * Java cycle models of the SAT blocks, written from their specifications (not from the generators):
 * the sparse PE, the PE array with its tile control and the N:M pre-generation unit. They are the
 * golden side of the Verilator lockstep tests in {@code verilator-tests}.
 */
package dev.sieve.hdl.sat.model;
