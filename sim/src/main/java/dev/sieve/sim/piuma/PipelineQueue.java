package dev.sieve.sim.piuma;

/**
 * The event queue of a {@link PiumaModel} engine: pipelines, each waiting for a cycle, popped in
 * cycle order and, within a cycle, in increasing pipeline order (a fixed priority, so that the
 * order of events never depends on the order they were scheduled in). Time only moves forward.
 */
abstract class PipelineQueue {
    /** The cycle of the last pop (advanced by the implementations' {@link #pop}). */
    protected long now;

    /** The cycle of the last pop. */
    final long now() {
        return now;
    }

    /** Schedules {@code item} at cycle {@code time >= now} (replacing any earlier schedule). */
    abstract void set(int item, long time);

    /** Removes {@code item} from the queue (it will not be popped until set again). */
    abstract void cancel(int item);

    /** The item due first (advancing time to its cycle), or -1 when nothing is scheduled. */
    abstract int pop();

    /** Fails unless {@code time} is at or after {@link #now}: time only moves forward. */
    protected final void requireNotPast(long time) {
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
