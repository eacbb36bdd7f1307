package dev.sieve.sim.piuma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two event queues of the PIUMA model pop the same items at the same cycles: earliest cycle
 * first, lower index first within a cycle, whatever order the items were scheduled in.
 */
class PipelineQueueTest {

    @Test
    void scanQueueAndCalendarQueuePopAlike() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int round = 0; round < 50; round++) {
            int first = rng.nextInt(4) * 6;
            int n = 1 + rng.nextInt(ScanQueue.MAX_ITEMS);
            PipelineQueue scan = new ScanQueue(first, first + n);
            PipelineQueue wheel = new CalendarQueue(first + n);
            for (int step = 0; step < 20_000; step++) {
                int action = rng.nextInt(10);
                int item = first + rng.nextInt(n);
                if (action < 5) {
                    // mostly near, sometimes beyond the wheel's 1024 cycles
                    long time = scan.now() + (rng.nextInt(20) == 0 ? rng.nextInt(5000) : rng.nextInt(8));
                    scan.set(item, time);
                    wheel.set(item, time);
                } else if (action < 6) {
                    scan.cancel(item);
                    wheel.cancel(item);
                } else {
                    assertEquals(wheel.pop(), scan.pop(), "round " + round + " step " + step);
                    assertEquals(wheel.now(), scan.now(), "round " + round + " step " + step);
                }
            }
        }
    }

    @Test
    void sameCycleGoesInIndexOrder() {
        PipelineQueue q = new ScanQueue(6, 12);
        q.set(9, 5);
        q.set(7, 5);
        q.set(11, 3);
        assertEquals(11, q.pop());
        assertEquals(3, q.now());
        assertEquals(7, q.pop());
        assertEquals(9, q.pop());
        assertEquals(5, q.now());
        assertEquals(-1, q.pop());
        assertThrows(IllegalStateException.class, () -> q.set(8, 4));
    }

    @Test
    void theModelPicksTheQueueBySize() {
        assertEquals(ScanQueue.class, PipelineQueue.of(48, 6, 12).getClass());
        assertEquals(CalendarQueue.class, PipelineQueue.of(48, 0, 48).getClass());
    }
}
