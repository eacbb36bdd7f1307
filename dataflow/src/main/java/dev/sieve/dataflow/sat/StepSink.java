package dev.sieve.dataflow.sat;

/** Receives the array steps of a schedule in execution order. */
@FunctionalInterface
public interface StepSink {
    /**
     * One array step: {@code segmentTiles} segment tiles that each stream {@code vectors} vectors,
     * with the DRAM bytes the step's tiles read and write and the on-chip buffer bytes they move.
     */
    void step(long vectors, int segmentTiles, long dramReadBytes, long dramWriteBytes, long sramBytes);
}
