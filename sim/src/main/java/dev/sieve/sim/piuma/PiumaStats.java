package dev.sieve.sim.piuma;

import dev.sieve.dataflow.piuma.Op;

/**
 * What one simulated run cost. Cycles are machine cycles; bytes are DRAM bytes moved at the
 * access granularity; utilizations are fractions in [0, 1].
 *
 * @param cycles            cycle at which the last thread finished
 * @param opsByKind         operations issued, indexed by {@link Op} kind
 * @param ops               all operations issued
 * @param issueSlots        pipeline slots used (ALU cycles plus one per operation)
 * @param dramReadBytes     bytes read from DRAM (cache-line fills and streamed loads)
 * @param dramWriteBytes    bytes written to DRAM
 * @param dramAccesses      DRAM accesses of the access granularity
 * @param cacheHits         loads served by a core's cache
 * @param cacheMisses       loads that went to DRAM through the cache
 * @param atomicUnitOps     atomic-unit operations (a compare-and-swap with its add counts two)
 * @param remoteOps         scratchpad and atomic operations addressed to another core
 * @param barrierWaitCycles thread-cycles spent waiting at barriers
 * @param issueUtilization  issue slots used / (pipelines x cycles)
 * @param threadActive      mean over threads of (finish cycle / cycles): 1 means no thread ran out of work early
 * @param dramUtilization   DRAM accesses / (accesses per cycle x cycles)
 * @param perCore           per-core breakdown
 */
public record PiumaStats(long cycles, long[] opsByKind, long ops, long issueSlots, long dramReadBytes,
                         long dramWriteBytes, long dramAccesses, long cacheHits, long cacheMisses, long atomicUnitOps,
                         long remoteOps, long barrierWaitCycles, double issueUtilization, double threadActive,
                         double dramUtilization, Core[] perCore) {

    /** One core's share. */
    public record Core(int core, long ops, long issueSlots, long atomicUnitOps, long dramAccesses, long finishCycle) {
    }

    public long ops(int kind) {
        return opsByKind[kind];
    }
}
