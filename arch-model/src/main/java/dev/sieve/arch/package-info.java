/**
 * What the hardware is: immutable, validated descriptions shared by the cycle models and the RTL
 * generators. Starts with the N:M sparsity pattern; the SAT, SpAtten and PIUMA configurations
 * join it as those accelerators land.
 */
package dev.sieve.arch;
