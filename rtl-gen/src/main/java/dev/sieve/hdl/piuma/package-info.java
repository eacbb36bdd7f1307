/**
 * Generators of the PIUMA-style machine's blocks: the scratchpad hash-accumulate unit that SMASH
 * merges partial products into. Each takes a view of {@code PiumaConfig}.
 */
package dev.sieve.hdl.piuma;
