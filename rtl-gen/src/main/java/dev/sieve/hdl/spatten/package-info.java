/**
 * Generators of the SpAtten-style accelerator's blocks: the quick-select top-k engine with its
 * comparators and zero eliminators. Each takes a view of {@code SpAttenConfig}.
 */
package dev.sieve.hdl.spatten;
