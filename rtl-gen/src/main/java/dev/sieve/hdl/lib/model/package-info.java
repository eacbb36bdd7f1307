/**
 * Cycle-accurate Java golden models of the library blocks, written from each block's documented
 * behaviour rather than from its generator, and checked against the generated RTL by the
 * co-simulation suite. Each model takes the same config record as its generator.
 */
package dev.sieve.hdl.lib.model;
