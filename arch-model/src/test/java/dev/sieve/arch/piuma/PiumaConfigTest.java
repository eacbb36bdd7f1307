package dev.sieve.arch.piuma;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PIUMA machine description: ARCHITECTURE.md's numbers as defaults, and errors that name the field. */
class PiumaConfigTest {

    @Test
    void defaultsAreTheMachineOfTheArchitectureNotes() {
        PiumaConfig c = PiumaConfig.defaults();
        assertEquals(8, c.cores());
        assertEquals(4, c.mtPipelinesPerCore());
        assertEquals(16, c.threadsPerMtPipeline());
        assertEquals(2, c.stPipelinesPerCore());
        assertEquals(4L << 20, c.spadBytesPerCore());
        assertEquals(192L << 10, c.cacheBytesPerCore());
        assertEquals(8, c.dramAccessBytes());
    }

    @Test
    void threadCountsFollowFromPipelines() {
        PiumaConfig c = PiumaConfig.defaults();
        // 4 MT pipelines x 16 threads + 2 single-threaded pipelines = 66 threads per core
        assertEquals(66, c.threadsPerCore());
        assertEquals(8 * 66, c.threads());
        assertEquals(6, c.pipelinesPerCore());
        // 64 bytes per cycle at 8-byte granularity: 8 accesses per cycle
        assertEquals(8, c.dramAccessesPerCycle());
    }

    @Test
    void withCoresKeepsBandwidthPerCore() {
        PiumaConfig two = PiumaConfig.defaults().withCores(2);
        assertEquals(2, two.cores());
        assertEquals(16, two.dramBytesPerCycle(), "8 bytes per cycle per core, as the default 64 for 8 cores");
    }

    @Test
    void outOfRangeFieldIsNamedWithValueAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PiumaConfig(0, 4, 16, 2, 4L << 20, 4, 192L << 10, 8, 3, 120, 64, 8, 1, 6, 20));
        assertEquals("cores = 0 is out of range; allowed 1 .. 256", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new PiumaConfig(8, 4, 16, 2, 4L << 20, 4, 192L << 10, 8, 3, 120, 60, 8, 1, 6, 20));
        assertTrue(e.getMessage().startsWith("dramBytesPerCycle = 60 is not allowed; it must be a multiple of"
                + " dramAccessBytes = 8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new PiumaConfig(8, 4, 16, 2, 4L << 20, 4, 192L << 10, 24, 3, 120, 64, 8, 1, 6, 20));
        assertEquals("cacheLineBytes = 24 is not a power of two; allowed 8 .. 256, a power of two", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new PiumaConfig(8, 0, 16, 0, 4L << 20, 4, 192L << 10, 8, 3, 120, 64, 8, 1, 6, 20));
        assertTrue(e.getMessage().startsWith("mtPipelinesPerCore + stPipelinesPerCore = 0 is out of range"));
    }

    @Test
    void narrowAccessGranularityMustBeAPowerOfTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PiumaConfig(8, 4, 16, 2, 4L << 20, 4, 192L << 10, 16, 3, 120, 60, 12, 1, 6, 20));
        assertEquals("dramAccessBytes = 12 is not a power of two; allowed 8, 16, 32, 64", e.getMessage());
    }
}
