package dev.sieve.arch.piuma;

import dev.sieve.arch.Range;

/**
 * A PIUMA-style graph machine (Intel PIUMA, arXiv 2010.06277): cores of in-order multi-threaded
 * pipelines (fine-grained round-robin among ready threads) plus single-threaded pipelines, a
 * scratchpad (SPAD) and a data cache per core, narrow DRAM accesses, an atomic offload unit per
 * core and a network between cores with one global address space.
 *
 * <p>Core counts, pipelines, threads, SPAD and cache sizes and the 8-byte DRAM granularity come
 * from ARCHITECTURE.md ("Accelerator 3"). Latencies, bandwidth and atomic throughput are not
 * published; the defaults are Sieve's assumptions (a 1 GHz clock, about 120 ns DRAM, 8 bytes per
 * cycle of DRAM bandwidth per core) and are meant to be swept.
 *
 * @param cores                 cores per chip (1 .. 256)
 * @param mtPipelinesPerCore    multi-threaded pipelines per core (0 .. 64)
 * @param threadsPerMtPipeline  hardware threads of each multi-threaded pipeline (1 .. 64)
 * @param stPipelinesPerCore    single-threaded pipelines per core (0 .. 64)
 * @param spadBytesPerCore      scratchpad bytes per core (1 KiB .. 1 GiB, a multiple of 8)
 * @param spadLatencyCycles     local scratchpad load/store latency (1 .. 1000)
 * @param cacheBytesPerCore     data cache bytes per core (0 = no cache .. 64 MiB; a multiple of the line)
 * @param cacheLineBytes        cache line (8 .. 256, a power of two, at least the DRAM access)
 * @param cacheLatencyCycles    cache hit latency (1 .. 1000)
 * @param dramLatencyCycles     DRAM access latency, excluding queueing (1 .. 10000)
 * @param dramBytesPerCycle     chip DRAM bandwidth (a multiple of the access size, up to 65536)
 * @param dramAccessBytes       DRAM access granularity (8 .. 64, a power of two; PIUMA: 8)
 * @param atomicsPerCyclePerCore operations the atomic unit of each core starts per cycle (1 .. 64)
 * @param atomicLatencyCycles   atomic read-modify-write latency in the owning core (1 .. 1000)
 * @param networkLatencyCycles  one-way latency between two cores (0 .. 10000)
 * @param hashUnit              the hash-accumulate unit of each core: the hash function and probe
 *                              rule of every SMASH table, and the generated unit's parameters
 */
public record PiumaConfig(int cores, int mtPipelinesPerCore, int threadsPerMtPipeline, int stPipelinesPerCore,
                          long spadBytesPerCore, int spadLatencyCycles, long cacheBytesPerCore, int cacheLineBytes,
                          int cacheLatencyCycles, int dramLatencyCycles, int dramBytesPerCycle, int dramAccessBytes,
                          int atomicsPerCyclePerCore, int atomicLatencyCycles, int networkLatencyCycles,
                          HashUnit hashUnit) {

    public PiumaConfig {
        if (hashUnit == null) {
            throw new IllegalArgumentException("hashUnit is missing; allowed a HashUnit");
        }
        range("cores", cores, 1, 256);
        range("mtPipelinesPerCore", mtPipelinesPerCore, 0, 64);
        range("threadsPerMtPipeline", threadsPerMtPipeline, 1, 64);
        range("stPipelinesPerCore", stPipelinesPerCore, 0, 64);
        if (mtPipelinesPerCore + stPipelinesPerCore == 0) {
            throw new IllegalArgumentException("mtPipelinesPerCore + stPipelinesPerCore = 0 is out of range; a core "
                    + "needs at least one pipeline (allowed 1 .. 128)");
        }
        range("spadBytesPerCore", spadBytesPerCore, 1024, 1L << 30);
        if (spadBytesPerCore % 8 != 0) {
            throw new IllegalArgumentException("spadBytesPerCore = " + spadBytesPerCore
                    + " is not allowed; it must be a multiple of 8 (allowed 1024 .. 1073741824)");
        }
        range("spadLatencyCycles", spadLatencyCycles, 1, 1000);
        range("dramAccessBytes", dramAccessBytes, 8, 64);
        powerOfTwo("dramAccessBytes", dramAccessBytes, "8, 16, 32, 64");
        range("cacheLineBytes", cacheLineBytes, dramAccessBytes, 256);
        powerOfTwo("cacheLineBytes", cacheLineBytes, dramAccessBytes + " .. 256, a power of two");
        range("cacheBytesPerCore", cacheBytesPerCore, 0, 64L << 20);
        if (cacheBytesPerCore % cacheLineBytes != 0) {
            throw new IllegalArgumentException("cacheBytesPerCore = " + cacheBytesPerCore + " is not allowed; it must be"
                    + " a multiple of cacheLineBytes = " + cacheLineBytes + " (allowed 0 .. 67108864)");
        }
        range("cacheLatencyCycles", cacheLatencyCycles, 1, 1000);
        range("dramLatencyCycles", dramLatencyCycles, 1, 10000);
        range("dramBytesPerCycle", dramBytesPerCycle, dramAccessBytes, 65536);
        if (dramBytesPerCycle % dramAccessBytes != 0) {
            throw new IllegalArgumentException("dramBytesPerCycle = " + dramBytesPerCycle + " is not allowed; it must be"
                    + " a multiple of dramAccessBytes = " + dramAccessBytes + " (allowed " + dramAccessBytes
                    + " .. 65536)");
        }
        range("atomicsPerCyclePerCore", atomicsPerCyclePerCore, 1, 64);
        range("atomicLatencyCycles", atomicLatencyCycles, 1, 1000);
        range("networkLatencyCycles", networkLatencyCycles, 0, 10000);
    }

    /** A machine with the default hash-accumulate unit ({@link HashUnit#defaults()}). */
    public PiumaConfig(int cores, int mtPipelinesPerCore, int threadsPerMtPipeline, int stPipelinesPerCore,
                       long spadBytesPerCore, int spadLatencyCycles, long cacheBytesPerCore, int cacheLineBytes,
                       int cacheLatencyCycles, int dramLatencyCycles, int dramBytesPerCycle, int dramAccessBytes,
                       int atomicsPerCyclePerCore, int atomicLatencyCycles, int networkLatencyCycles) {
        this(cores, mtPipelinesPerCore, threadsPerMtPipeline, stPipelinesPerCore, spadBytesPerCore, spadLatencyCycles,
                cacheBytesPerCore, cacheLineBytes, cacheLatencyCycles, dramLatencyCycles, dramBytesPerCycle,
                dramAccessBytes, atomicsPerCyclePerCore, atomicLatencyCycles, networkLatencyCycles, HashUnit.defaults());
    }

    /**
     * The machine of ARCHITECTURE.md: 8 cores, each with 4 multi-threaded pipelines of 16 threads
     * and 2 single-threaded pipelines, 4 MiB SPAD and 192 KiB cache, 8-byte DRAM accesses. Assumed:
     * SPAD 4 cycles, cache 3 cycles with 8-byte lines (PIUMA's narrow accesses), DRAM 120 cycles
     * and 64 bytes per cycle for the chip, one atomic per cycle per core with 6 cycles latency,
     * 20 cycles between cores; the default hash-accumulate unit.
     */
    public static PiumaConfig defaults() {
        return new PiumaConfig(8, 4, 16, 2, 4L << 20, 4, 192L << 10, 8, 3, 120, 64, 8, 1, 6, 20);
    }

    /** The same machine with {@code n} cores (the DRAM bandwidth per core kept). */
    public PiumaConfig withCores(int n) {
        int perCore = Math.max(dramAccessBytes, dramBytesPerCycle / cores / dramAccessBytes * dramAccessBytes);
        return new PiumaConfig(n, mtPipelinesPerCore, threadsPerMtPipeline, stPipelinesPerCore, spadBytesPerCore,
                spadLatencyCycles, cacheBytesPerCore, cacheLineBytes, cacheLatencyCycles, dramLatencyCycles,
                (int) Math.min(65536L / dramAccessBytes * dramAccessBytes, (long) perCore * n), dramAccessBytes,
                atomicsPerCyclePerCore, atomicLatencyCycles, networkLatencyCycles, hashUnit);
    }

    /** The same machine with {@code n} threads in each multi-threaded pipeline. */
    public PiumaConfig withThreadsPerMtPipeline(int n) {
        return new PiumaConfig(cores, mtPipelinesPerCore, n, stPipelinesPerCore, spadBytesPerCore, spadLatencyCycles,
                cacheBytesPerCore, cacheLineBytes, cacheLatencyCycles, dramLatencyCycles, dramBytesPerCycle,
                dramAccessBytes, atomicsPerCyclePerCore, atomicLatencyCycles, networkLatencyCycles, hashUnit);
    }

    /** The same machine with another DRAM latency and chip bandwidth. */
    public PiumaConfig withDram(int latencyCycles, int bytesPerCycle) {
        return new PiumaConfig(cores, mtPipelinesPerCore, threadsPerMtPipeline, stPipelinesPerCore, spadBytesPerCore,
                spadLatencyCycles, cacheBytesPerCore, cacheLineBytes, cacheLatencyCycles, latencyCycles, bytesPerCycle,
                dramAccessBytes, atomicsPerCyclePerCore, atomicLatencyCycles, networkLatencyCycles, hashUnit);
    }

    /** The same machine with another cache size per core (0 turns the cache off). */
    public PiumaConfig withCacheBytesPerCore(long bytes) {
        return new PiumaConfig(cores, mtPipelinesPerCore, threadsPerMtPipeline, stPipelinesPerCore, spadBytesPerCore,
                spadLatencyCycles, bytes, cacheLineBytes, cacheLatencyCycles, dramLatencyCycles, dramBytesPerCycle,
                dramAccessBytes, atomicsPerCyclePerCore, atomicLatencyCycles, networkLatencyCycles, hashUnit);
    }

    /** The same machine with another hash-accumulate unit. */
    public PiumaConfig withHashUnit(HashUnit unit) {
        return new PiumaConfig(cores, mtPipelinesPerCore, threadsPerMtPipeline, stPipelinesPerCore, spadBytesPerCore,
                spadLatencyCycles, cacheBytesPerCore, cacheLineBytes, cacheLatencyCycles, dramLatencyCycles,
                dramBytesPerCycle, dramAccessBytes, atomicsPerCyclePerCore, atomicLatencyCycles, networkLatencyCycles,
                unit);
    }

    /** Pipelines per core, multi- and single-threaded. */
    public int pipelinesPerCore() {
        return mtPipelinesPerCore + stPipelinesPerCore;
    }

    /** Hardware threads per core: {@code mt x threads + st}. */
    public int threadsPerCore() {
        return mtPipelinesPerCore * threadsPerMtPipeline + stPipelinesPerCore;
    }

    /** Hardware threads of the chip. */
    public int threads() {
        return cores * threadsPerCore();
    }

    /** DRAM accesses the chip starts per cycle. */
    public int dramAccessesPerCycle() {
        return dramBytesPerCycle / dramAccessBytes;
    }

    private static void range(String field, long value, long lo, long hi) {
        new Range(lo, hi).check(field, value);
    }

    private static void powerOfTwo(String field, long value, String allowed) {
        if (Long.bitCount(value) != 1) {
            throw new IllegalArgumentException(field + " = " + value + " is not a power of two; allowed " + allowed);
        }
    }
}
