package dev.sieve.sim.piuma;

/**
 * The event queue of a {@link PiumaModel} engine: pipelines, each waiting for a cycle, popped in
 * cycle order and, within a cycle, in increasing pipeline order (a fixed priority, so that the
 * order of events never depends on the order they were scheduled in). Time only moves forward.
 */
interface PipelineQueue {
    /** The cycle of the last pop. */
    long now();

    /** Schedules {@code item} at cycle {@code time >= now} (replacing any earlier schedule). */
    void set(int item, long time);

    /** Removes {@code item} from the queue (it will not be popped until set again). */
    void cancel(int item);

    /** The item due first (advancing time to its cycle), or -1 when nothing is scheduled. */
    int pop();

    /** Fails unless {@code time} is at or after {@code now}: time only moves forward. */
    static void requireNotPast(long time, long now) {
        if (time < now) {
            throw new IllegalStateException("cycle " + time + " is in the past (now " + now + ")");
        }
    }

    /**
     * The queue for pipelines {@code [first, end)} of {@code items}: a scan of their due cycles when
     * there are few (one core's), a calendar wheel when there are many (a whole chip's).
     */
    static PipelineQueue of(int items, int first, int end) {
        return end - first <= ScanQueue.MAX_ITEMS ? new ScanQueue(first, end) : new CalendarQueue(items);
    }
}
