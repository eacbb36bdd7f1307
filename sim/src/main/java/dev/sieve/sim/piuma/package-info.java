/**
 * The PIUMA cycle-level model: in-order pipelines issuing round-robin among their ready threads,
 * scratchpad, cache and DRAM latencies, DRAM bandwidth, atomic-unit serialization and barriers,
 * timing the per-thread operation streams of the SpGEMM algorithms in
 * {@code dev.sieve.dataflow.piuma}. Event-driven: only pipelines with a ready thread do work.
 */
package dev.sieve.sim.piuma;
