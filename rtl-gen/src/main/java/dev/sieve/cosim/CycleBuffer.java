package dev.sieve.cosim;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

/**
 * Port values for a run of cycles, packed frame after frame in direct (off-heap) memory so a whole
 * batch crosses into native code in one call. Create one with
 * {@link VerilatedModel#newInputBuffer(int)} or {@link VerilatedModel#newOutputBuffer(int)}.
 * Not thread-safe.
 */
public final class CycleBuffer {
    private final FrameLayout layout;
    private final int cycles;
    private final ByteBuffer bytes;
    private final LongBuffer words;
    private final Pointer pointer;

    CycleBuffer(FrameLayout layout, int cycles) {
        if (cycles < 1) {
            throw new IllegalArgumentException("cycles must be >= 1, got " + cycles);
        }
        long size = (long) cycles * Math.max(1, layout.frameWords()) * Long.BYTES;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a buffer of " + cycles + " cycles of " + layout.frameWords()
                    + " words is larger than 2 GB; use smaller batches");
        }
        this.layout = layout;
        this.cycles = cycles;
        this.bytes = ByteBuffer.allocateDirect((int) size).order(ByteOrder.nativeOrder());
        this.words = bytes.asLongBuffer();
        this.pointer = Native.getDirectBufferPointer(bytes);
    }

    public FrameLayout layout() {
        return layout;
    }

    /** Capacity in cycles. */
    public int cycles() {
        return cycles;
    }

    /** Sets a port of at most 64 bits; bits above its width are dropped. */
    public void set(int cycle, int slot, long value) {
        Port p = layout.ports().get(slot);
        words.put(index(cycle, slot), value & Bits.mask(Math.min(64, p.width())));
    }

    public void set(int cycle, String port, long value) {
        set(cycle, layout.slot(port), value);
    }

    /** Sets a port of any width to a non-negative value that fits it. */
    public void set(int cycle, int slot, BigInteger value) {
        Port p = layout.ports().get(slot);
        Bits.checkFits(p, value);
        long[] w = Bits.toWords(value, p.width(), p.words());
        int at = index(cycle, slot);
        for (int i = 0; i < w.length; i++) {
            words.put(at + i, w[i]);
        }
    }

    public void set(int cycle, String port, BigInteger value) {
        set(cycle, layout.slot(port), value);
    }

    /** Raw word {@code word} (0 = least significant) of a port's value. */
    public void setWord(int cycle, int slot, int word, long value) {
        words.put(index(cycle, slot) + word, value);
    }

    public long word(int cycle, int slot, int word) {
        return words.get(index(cycle, slot) + word);
    }

    /** The value of a port of at most 64 bits (for wider ports: its low 64 bits). */
    public long getLong(int cycle, int slot) {
        return words.get(index(cycle, slot));
    }

    public long getLong(int cycle, String port) {
        return getLong(cycle, layout.slot(port));
    }

    public BigInteger get(int cycle, int slot) {
        Port p = layout.ports().get(slot);
        int at = index(cycle, slot);
        BigInteger v = BigInteger.ZERO;
        for (int i = p.words() - 1; i >= 0; i--) {
            v = v.shiftLeft(64).or(Bits.unsigned(words.get(at + i)));
        }
        return v;
    }

    public BigInteger get(int cycle, String port) {
        return get(cycle, layout.slot(port));
    }

    /** The underlying words, frame after frame (index = cycle * frameWords + offset + word). */
    LongBuffer words() {
        return words;
    }

    Pointer pointer() {
        return pointer;
    }

    private int index(int cycle, int slot) {
        if (cycle < 0 || cycle >= cycles) {
            throw new IndexOutOfBoundsException("cycle " + cycle + " outside buffer of " + cycles + " cycles");
        }
        return cycle * layout.frameWords() + layout.offset(slot);
    }
}
