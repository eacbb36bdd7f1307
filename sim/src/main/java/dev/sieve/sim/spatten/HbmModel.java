package dev.sieve.sim.spatten;

/**
 * HBM as {@code channels} channels of {@code bytesPerCycle} bytes each, addresses interleaved
 * across channels in bursts of {@code bytesPerCycle} bytes. A transfer of B bytes is
 * {@code ceil(B / burst)} bursts dealt round-robin from where the last transfer stopped; it takes
 * as many cycles as the busiest channel receives bursts. Counts bytes per channel.
 */
public final class HbmModel {
    private final int channels;
    private final int burst;
    private final long[] bytes;
    private int next;

    public HbmModel(int channels, int bytesPerCycle) {
        if (channels < 1 || bytesPerCycle < 1) {
            throw new IllegalArgumentException("HBM needs at least one channel and one byte per cycle");
        }
        this.channels = channels;
        this.burst = bytesPerCycle;
        this.bytes = new long[channels];
    }

    /** Moves {@code n} bytes; returns the cycles the transfer occupies the interface. */
    public long transfer(long n) {
        if (n <= 0) {
            return 0;
        }
        long bursts = (n + burst - 1) / burst;
        long full = bursts / channels;
        int rest = (int) (bursts % channels);
        for (int c = 0; c < channels; c++) {
            bytes[c] += full * burst;
        }
        for (int i = 0; i < rest; i++) {
            bytes[(next + i) % channels] += burst;
        }
        next = (next + rest) % channels;
        return full + (rest > 0 ? 1 : 0);
    }

    /** Cycles to move {@code n} bytes, without counting them. */
    public long cyclesFor(long n) {
        long bursts = (n + burst - 1) / burst;
        return (bursts + channels - 1) / channels;
    }

    /** Bytes moved per channel so far (whole bursts). */
    public long[] bytesPerChannel() {
        return bytes.clone();
    }

    public long totalBytes() {
        long t = 0;
        for (long b : bytes) {
            t += b;
        }
        return t;
    }
}
