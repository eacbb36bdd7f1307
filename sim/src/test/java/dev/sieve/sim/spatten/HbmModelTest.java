package dev.sieve.sim.spatten;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** HBM: 16 channels x 32 B/cycle move 512 B per cycle, dealt round-robin in 32-byte bursts. */
class HbmModelTest {

    @Test
    void fiveHundredTwelveBytesTakeOneCycleOnEveryChannel() {
        HbmModel h = new HbmModel(16, 32);
        assertEquals(1, h.transfer(512));
        long[] expected = new long[16];
        java.util.Arrays.fill(expected, 32);
        assertArrayEquals(expected, h.bytesPerChannel());
    }

    @Test
    void partialBurstsRoundUpAndTheNextTransferContinuesOnTheNextChannel() {
        HbmModel h = new HbmModel(4, 32);
        assertEquals(1, h.transfer(33), "two bursts on channels 0 and 1");
        assertEquals(1, h.transfer(64), "two bursts on channels 2 and 3");
        assertArrayEquals(new long[] {32, 32, 32, 32}, h.bytesPerChannel());
        assertEquals(3, h.transfer(32 * 9), "nine bursts over four channels: the busiest gets three");
        assertEquals(64 + 64 + 288, h.totalBytes());
    }
}
