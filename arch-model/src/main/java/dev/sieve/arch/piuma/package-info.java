/**
 * The PIUMA-style multithreaded graph machine as hardware: {@link dev.sieve.arch.piuma.PiumaConfig}
 * with its scratchpad hash-accumulate unit, taken by the cycle model, the hash unit's generator and
 * its golden model.
 */
package dev.sieve.arch.piuma;
