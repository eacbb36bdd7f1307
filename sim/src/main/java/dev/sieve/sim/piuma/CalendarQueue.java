package dev.sieve.sim.piuma;

import java.util.Arrays;

/**
 * The event queue of the model: items {@code 0 .. n-1} (pipelines) each waiting for a cycle, popped
 * in cycle order. A wheel of 1024 one-cycle buckets holds the near future (almost every event is a
 * few cycles ahead), a binary heap the far future; moving an item leaves a stale entry behind that
 * is skipped when its bucket comes up. Time only moves forward.
 */
final class CalendarQueue {
    private static final int WHEEL = 1024;
    private static final int MASK = WHEEL - 1;
    private final long[] key;
    private final int[][] bucket = new int[WHEEL][];
    private final int[] size = new int[WHEEL];
    private int entries;
    private long[] far = new long[64];
    private int farSize;
    private long now;

    CalendarQueue(int items) {
        if (items >= 1 << 20) {
            throw new IllegalArgumentException(items + " items; at most 2^20");
        }
        key = new long[items];
        Arrays.fill(key, -1);
        for (int b = 0; b < WHEEL; b++) {
            bucket[b] = new int[8];
        }
    }

    long now() {
        return now;
    }

    /** Schedules {@code item} at cycle {@code time >= now} (replacing any earlier schedule). */
    void set(int item, long time) {
        if (time < now) {
            throw new IllegalStateException("cycle " + time + " is in the past (now " + now + ")");
        }
        key[item] = time;
        if (time - now < WHEEL) {
            int b = (int) (time & MASK);
            if (size[b] == bucket[b].length) {
                bucket[b] = Arrays.copyOf(bucket[b], size[b] * 2);
            }
            bucket[b][size[b]++] = item;
            entries++;
        } else {
            if (farSize == far.length) {
                far = Arrays.copyOf(far, farSize * 2);
            }
            far[farSize] = (time << 20) | item;
            up(farSize++);
        }
    }

    /** Removes {@code item} from the queue (it will not be popped until set again). */
    void cancel(int item) {
        key[item] = -1;
    }

    /** The item due first (advancing time to its cycle), or -1 when nothing is scheduled. */
    int pop() {
        while (true) {
            int b = (int) (now & MASK);
            while (size[b] > 0) {
                int item = bucket[b][--size[b]];
                entries--;
                if (key[item] == now) {
                    key[item] = -1;
                    return item;
                }
            }
            if (entries == 0) {
                if (farSize == 0) {
                    return -1;
                }
                now = far[0] >>> 20;
            } else {
                now++;
            }
            migrate();
        }
    }

    /** Moves far entries that are now within the wheel into their buckets. */
    private void migrate() {
        while (farSize > 0 && (far[0] >>> 20) - now < WHEEL) {
            long top = far[0];
            far[0] = far[--farSize];
            down(0);
            int item = (int) (top & ((1 << 20) - 1));
            long time = top >>> 20;
            if (key[item] == time) {
                int b = (int) (time & MASK);
                if (size[b] == bucket[b].length) {
                    bucket[b] = Arrays.copyOf(bucket[b], size[b] * 2);
                }
                bucket[b][size[b]++] = item;
                entries++;
            }
        }
    }

    private void up(int i) {
        long x = far[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (far[parent] <= x) {
                break;
            }
            far[i] = far[parent];
            i = parent;
        }
        far[i] = x;
    }

    private void down(int i) {
        if (farSize == 0) {
            return;
        }
        long x = far[i];
        while (true) {
            int l = 2 * i + 1;
            if (l >= farSize) {
                break;
            }
            int c = l + 1 < farSize && far[l + 1] < far[l] ? l + 1 : l;
            if (far[c] >= x) {
                break;
            }
            far[i] = far[c];
            i = c;
        }
        far[i] = x;
    }
}
