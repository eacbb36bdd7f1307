package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;

/**
 * SMASH V3, fragmented memory: the scratchpad of a core is cut into one fixed fragment per
 * hardware thread, so no two threads ever share a table and no thread waits for memory. A
 * fragment holds a hash table (a power of two of 8-byte slots; the row is implied, so a slot is
 * column and value) and an occupancy list of 4-byte slot numbers. A row uses a table of twice its
 * output bound (at most the fragment's); a row whose bound exceeds three quarters of the
 * fragment's table is cut into column bands, each a pass over the row's A entries with a binary
 * search into every B row. No windows and no barriers after the symbolic pass: threads take rows
 * with a token from a per-core counter (cores hold blocks of equal work), hash (each new key
 * appends its slot to the list with a posted SPAD store), follow the list to compact the row, sort
 * it in the scratchpad and DMA the row of C out once, in order. Tables are cleared by epoch.
 */
final class SmashFragments extends SmashBase {
    private static final int SLICE = 512;
    /** Per core: the next task to hand out. */
    private final PerCore next;

    SmashFragments(Csr a, Csr b, PiumaConfig cfg, boolean keepProduct) {
        super(Algorithm.SMASH_V3, a, b, cfg, keepProduct, true, 3L * tableSlots(cfg) / 4);
        this.next = new PerCore(cores);
        for (int c = 0; c < cores; c++) {
            spadUse(c, SPAD_RESERVED);
        }
    }

    /** Slots of each thread's table: the largest power of two whose table and list fit its share. */
    static int tableSlots(PiumaConfig cfg) {
        long perThread = (cfg.spadBytesPerCore() - SPAD_RESERVED) / 8 / cfg.threadsPerCore();
        return (int) Long.highestOneBit(Math.max(16, perThread * 2 / 3));
    }

    /** Byte offset of thread {@code t}'s fragment in its core's scratchpad. */
    private long fragmentBase(int t) {
        long perThread = (cfg.spadBytesPerCore() - SPAD_RESERVED) / cfg.threadsPerCore() / 8 * 8;
        return SPAD_RESERVED + perThread * (t % threadsPerCore);
    }

    /** Every operation of a V3 thread addresses its own core; the cores meet only at the chip barrier. */
    @Override
    public boolean coreLocal() {
        return true;
    }

    @Override
    protected ThreadProgram newProgram(int t) {
        final int c = coreOf(t);
        return new Program() {
            private final SymbolicPass symbolic = new SymbolicPass(t);
            private final LinearProbeTable table = new LinearProbeTable(16, !out.keeps());
            private boolean symbolicDone;
            private int task = -1;
            private int stage;
            private int slots;
            private long fragment;
            private long base;
            private long release;
            private int entry;
            private int cursor;
            private int[] cols = new int[16];
            private double[] vals = new double[16];
            private int count;
            private long written;

            @Override
            protected boolean refill() {
                if (!symbolicDone) {
                    if (symbolic.step(this)) {
                        return true;
                    }
                    symbolicDone = true;
                }
                if (release > 0) {
                    spadUse(c, -release);
                    release = 0;
                }
                Tasks ts = tasks[c];
                if (task < 0) {
                    emit(Op.ATOMIC, 1, 1, c, SPAD_TOKENS);
                    tokens.add(c, 1);
                    if (next.get(c) >= ts.n) {
                        return false;
                    }
                    task = (int) next.get(c);
                    next.add(c, 1);
                    stage = 0;
                    return true;
                }
                int i = ts.row[task];
                switch (stage) {
                    case 0 -> {
                        slots = Math.min(tableSlots(cfg), pow2AtLeast(2 * ts.bound[task], 16));
                        fragment = 8L * slots + 4L * ts.bound[task];
                        spadUse(c, fragment);
                        base = fragmentBase(t);
                        table.reset(slots);
                        loadStream(BOUNDS + 8L * i, 1, 1);
                        load(aPtr(i), 1);
                        entry = a.rowStart(i);
                        stage = 1;
                    }
                    case 1 -> {
                        // A entries until the piece is long enough; nothing here is seen by other threads
                        do {
                            insertEntry(this, c, base, 8, table, 0, -1, Op.SPAD_STORE, base + 8L * slots, 4, i,
                                    entry, ts.lo[task], ts.hi[task]);
                        } while (++entry < a.rowEnd(i) && emitted() < CHUNK);
                        if (entry == a.rowEnd(i)) {
                            stage = 2;
                            cursor = 0;
                            count = table.used();
                        }
                    }
                    default -> {
                        // compact: follow the occupancy list (index, then the slot), a slice at a time
                        int stop = Math.min(count, cursor + SLICE);
                        for (; cursor < stop; cursor++) {
                            emit(Op.SPAD_LOAD, 1, 2, c, base + 8L * slots + 4L * cursor);
                        }
                        if (cursor < count) {
                            return true;
                        }
                        compute(Math.max(1, sortCycles(count)));
                        dmaStore(threadArea(C_OUT, t, 8 * written), count);
                        written += count;
                        if (out.keeps()) {
                            if (cols.length < count) {
                                cols = new int[count];
                                vals = new double[count];
                            }
                            gather(table, cols, vals);
                        }
                        out.addRow(i, cols, vals, count);
                        release = fragment;
                        task = -1;
                    }
                }
                return true;
            }
        };
    }
}
