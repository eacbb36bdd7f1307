/**
 * Generators of the SpAtten-style accelerator's blocks: the quick-select top-k engine with its
 * comparators and zero eliminators. Each takes a view of {@code SpAttenConfig}
 * ({@code SpAttenConfig.TopK} for the engine), whose rules are checked there.
 */
package dev.sieve.hdl.spatten;
