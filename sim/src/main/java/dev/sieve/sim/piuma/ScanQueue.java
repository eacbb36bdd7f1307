package dev.sieve.sim.piuma;

import java.util.Arrays;

/**
 * A {@link PipelineQueue} for a few pipelines (one core's): the due cycle of each, and a pop that
 * scans them for the earliest (the first in index order among equals). For a handful of items a
 * scan of one or two host cache lines costs less than any bucket or heap bookkeeping.
 */
final class ScanQueue extends PipelineQueue {
    /** Most items a scan queue holds; more go to a {@link CalendarQueue}. */
    static final int MAX_ITEMS = 16;
    private static final long IDLE = Long.MAX_VALUE;
    private final int first;
    private final long[] due;

    ScanQueue(int first, int end) {
        if (end - first < 1 || end - first > MAX_ITEMS) {
            throw new IllegalArgumentException(end - first + " items; a scan queue holds 1 .. " + MAX_ITEMS);
        }
        this.first = first;
        this.due = new long[end - first];
        Arrays.fill(due, IDLE);
    }

    @Override
    void set(int item, long time) {
        requireNotPast(time);
        due[item - first] = time;
    }

    @Override
    void cancel(int item) {
        due[item - first] = IDLE;
    }

    @Override
    int pop() {
        long[] d = due;
        long best = d[0];
        int at = 0;
        for (int i = 1; i < d.length; i++) {
            long x = d[i];
            if (x < best) {
                best = x;
                at = i;
            }
        }
        if (best == IDLE) {
            return -1;
        }
        d[at] = IDLE;
        now = best;
        return first + at;
    }
}
