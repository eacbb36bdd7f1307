package dev.sieve.dataflow.piuma;

import java.util.Arrays;

/**
 * The operation stream of one hardware thread, generated lazily: {@link #refill()} runs the next
 * small piece of the thread's share of the algorithm (one pair of rows, one A entry, a slice of a
 * table) and emits its operations. The algorithm's state advances only as far as the consumer has
 * read, so shared work queues (tokens) are taken in the order the simulated threads ask for them.
 */
public abstract class ThreadProgram {
    private long[] buf = new long[256];
    private int pos;
    private int len;
    private boolean finished;

    /** A stream of the given operations, then {@link Op#END}. */
    public static ThreadProgram of(long... ops) {
        long[] copy = ops.clone();
        return new ThreadProgram() {
            private boolean emitted;

            @Override
            protected boolean refill() {
                if (emitted || copy.length == 0) {
                    return false;
                }
                emitted = true;
                for (long op : copy) {
                    emit(op);
                }
                return true;
            }
        };
    }

    /** The next operation, or {@link Op#END}. */
    public final long next() {
        while (pos == len) {
            if (finished) {
                return Op.END;
            }
            pos = 0;
            len = 0;
            if (!refill()) {
                finished = true;
            }
        }
        return buf[pos++];
    }

    /** What {@link #nextBuffered()} returns when the next operation needs a refill (no valid operation has kind 15). */
    public static final long NOT_BUFFERED = 0xFL << 60;

    /**
     * The next operation if it has been generated already, else {@link #NOT_BUFFERED} (then
     * {@link #next()} generates it): a consumer may read ahead this way without moving the
     * algorithm's state, so shared work is still taken when the thread asks for it.
     */
    public final long nextBuffered() {
        return pos < len ? buf[pos++] : NOT_BUFFERED;
    }

    /**
     * Operations a refill should emit before it stops at a point with no effect outside the thread
     * (a longer piece keeps the thread's tables in the host's cache while it is generated).
     */
    protected static final int CHUNK = 1024;

    /** Operations emitted by the current refill so far. */
    protected final int emitted() {
        return len;
    }

    /** Emits the next piece of work; returns false once the thread has no work left. */
    protected abstract boolean refill();

    protected final void emit(long op) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[len++] = op;
    }

    protected final void emit(int kind, int alu, int words, int core, long address) {
        emit(Op.make(kind, alu, words, core, address));
    }

    protected final void compute(long cycles) {
        while (cycles > 0) {
            int c = (int) Math.min(255, cycles);
            emit(Op.make(Op.COMPUTE, c, 0, 0, 0));
            cycles -= c;
        }
    }

    protected final void load(long address, int alu) {
        emit(Op.make(Op.LOAD, alu, 1, 0, address));
    }

    protected final void loadStream(long address, int words, int alu) {
        emit(Op.make(Op.LOAD_STREAM, alu, words, 0, address));
    }

    protected final void store(long address, int words, int alu) {
        emit(Op.make(Op.STORE, alu, words, 0, address));
    }

    /**
     * A DMA transfer from DRAM of {@code words} 8-byte words: loads of up to 15 words each, each
     * waited for (the engine moves the words at the DRAM access granularity).
     */
    protected final void dmaLoad(long address, long words) {
        for (long w = 0; w < words; w += 15) {
            emit(Op.make(Op.LOAD_STREAM, 0, (int) Math.min(15, words - w), 0, address + 8 * w));
        }
    }

    /** A DMA transfer to DRAM of {@code words} 8-byte words, posted in pieces of up to 15 words. */
    protected final void dmaStore(long address, long words) {
        for (long w = 0; w < words; w += 15) {
            emit(Op.make(Op.STORE, 0, (int) Math.min(15, words - w), 0, address + 8 * w));
        }
    }

    protected final void barrier(int scope) {
        emit(Op.make(Op.BARRIER, 0, 0, scope, 0));
    }
}
