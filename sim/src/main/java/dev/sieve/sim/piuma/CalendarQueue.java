package dev.sieve.sim.piuma;

import java.util.Arrays;

/**
 * The event queue of the model: items {@code 0 .. n-1} (pipelines) each waiting for a cycle, popped
 * in cycle order and, within a cycle, in increasing item order (a fixed priority, so that the order
 * of events never depends on the order they were scheduled in). A wheel of 1024 one-cycle buckets,
 * each a bit set of items, holds the near future (almost every event is a few cycles ahead); a
 * binary heap holds the far future, and an item rescheduled while in the heap leaves a stale entry
 * that is skipped when it comes up. Time only moves forward.
 */
final class CalendarQueue extends PipelineQueue {
    private static final int WHEEL = 1024;
    private static final int MASK = WHEEL - 1;
    private static final int ITEM_BITS = 20;
    private final int words;
    private final long[] bits;
    /** One bit per bucket: set when the bucket holds an item (finds the next event without stepping cycles). */
    private final long[] busy = new long[WHEEL / 64];
    private final long[] key;
    private int inWheel;
    private long[] far = new long[64];
    private int farSize;

    CalendarQueue(int items) {
        if (items >= 1 << ITEM_BITS) {
            throw new IllegalArgumentException(items + " items; at most 2^" + ITEM_BITS);
        }
        words = Math.max(1, (items + 63) >>> 6);
        bits = new long[WHEEL * words];
        key = new long[items];
        Arrays.fill(key, -1);
    }

    /** Schedules {@code item} at cycle {@code time >= now} (replacing any earlier schedule). */
    @Override
    void set(int item, long time) {
        requireNotPast(time);
        cancel(item);
        key[item] = time;
        if (time - now < WHEEL) {
            mark(time, item);
        } else {
            if (farSize == far.length) {
                far = Arrays.copyOf(far, farSize * 2);
            }
            far[farSize] = (time << ITEM_BITS) | item;
            up(farSize++);
        }
    }

    /** Removes {@code item} from the queue (it will not be popped until set again). */
    @Override
    void cancel(int item) {
        long k = key[item];
        if (k >= 0 && k - now < WHEEL) {
            int bucket = (int) (k & MASK);
            int w = bucket * words + (item >>> 6);
            long bit = 1L << item;
            if ((bits[w] & bit) != 0) {
                bits[w] &= ~bit;
                inWheel--;
                if (bits[w] == 0) {
                    clearIfEmpty(bucket);
                }
            }
        }
        key[item] = -1;
    }

    /** The item due first (advancing time to its cycle), or -1 when nothing is scheduled. */
    @Override
    int pop() {
        while (true) {
            int bucket = (int) (now & MASK);
            if ((busy[bucket >>> 6] & (1L << bucket)) != 0) {
                int base = bucket * words;
                for (int w = 0; w < words; w++) {
                    long b = bits[base + w];
                    if (b != 0) {
                        int bit = Long.numberOfTrailingZeros(b);
                        b &= b - 1;
                        bits[base + w] = b;
                        if (b == 0) {
                            clearIfEmpty(bucket);
                        }
                        inWheel--;
                        int item = (w << 6) + bit;
                        key[item] = -1;
                        return item;
                    }
                }
            }
            if (inWheel == 0) {
                while (farSize > 0 && key[(int) (far[0] & ((1 << ITEM_BITS) - 1))] != far[0] >>> ITEM_BITS) {
                    removeTop();
                }
                if (farSize == 0) {
                    return -1;
                }
                now = far[0] >>> ITEM_BITS;
            } else {
                // every wheel item is due within WHEEL cycles: jump to the next busy bucket
                now += distanceToNextBusy(bucket);
            }
            migrate();
        }
    }

    /** Cycles from {@code bucket} to the next busy bucket after it (1 .. WHEEL - 1), wrapping around. */
    private int distanceToNextBusy(int bucket) {
        int start = bucket + 1;
        for (int d = 0; d < WHEEL; d += 64) {
            int from = (start + d) & MASK;
            int word = from >>> 6;
            int shift = from & 63;
            // the rest of this word, then the low part of the next word (wrapping)
            long m = busy[word] >>> shift;
            if (shift != 0) {
                m |= busy[(word + 1) & (WHEEL / 64 - 1)] << (64 - shift);
            }
            if (m != 0) {
                return 1 + d + Long.numberOfTrailingZeros(m);
            }
        }
        throw new IllegalStateException("no busy bucket although " + inWheel + " items are in the wheel");
    }

    private void clearIfEmpty(int bucket) {
        int base = bucket * words;
        for (int w = 0; w < words; w++) {
            if (bits[base + w] != 0) {
                return;
            }
        }
        busy[bucket >>> 6] &= ~(1L << bucket);
    }

    private void mark(long time, int item) {
        int w = (int) (time & MASK) * words + (item >>> 6);
        long bit = 1L << item;
        if ((bits[w] & bit) == 0) {
            bits[w] |= bit;
            inWheel++;
            int bucket = (int) (time & MASK);
            busy[bucket >>> 6] |= 1L << bucket;
        }
    }

    /** Moves far entries that are now within the wheel into their buckets. */
    private void migrate() {
        while (farSize > 0 && (far[0] >>> ITEM_BITS) - now < WHEEL) {
            long top = far[0];
            removeTop();
            int item = (int) (top & ((1 << ITEM_BITS) - 1));
            long time = top >>> ITEM_BITS;
            if (key[item] == time) {
                mark(time, item);
            }
        }
    }

    private void removeTop() {
        far[0] = far[--farSize];
        down(0);
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
