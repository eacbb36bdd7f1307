package dev.sieve.dataflow.spgemm;

import dev.sieve.arch.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;

/**
 * SMASH V3, fragmented memory: the scratchpad of a core is a pool from which each row takes its
 * own fragment: a table sized from the row's output bound (the next power of two of twice the
 * bound, 8 bytes a slot since the row is implied) plus an occupancy list of 4-byte slot numbers,
 * returned after the row is written. No windows and no barriers after the symbolic pass: threads
 * take rows with a token from a per-core counter (cores hold blocks of equal work), allocate with
 * one atomic (backing off 32, 64 .. 1024 cycles while the pool is short), hash (each new key
 * appends its slot to the list with a posted SPAD store), then follow the list to compact the
 * row, sort it in the scratchpad and DMA the row of C out once, in order. Rows whose bound
 * exceeds half the largest fragment are cut into column bands.
 */
final class SmashFragments extends SmashBase {
    private static final int SLICE = 512;
    private static final int RETRY_CYCLES = 32;
    private static final int MAX_BACKOFF = 1024;
    private final long poolSlots;
    private final long[] poolFree;
    private final long[] poolCursor;
    private final int[] next;

    SmashFragments(Csr a, Csr b, PiumaConfig cfg, boolean keepProduct) {
        super(Algorithm.SMASH_V3, a, b, cfg, keepProduct, true, maxFragment(cfg) / 2);
        this.poolSlots = (cfg.spadBytesPerCore() - SPAD_RESERVED) / 8;
        this.poolFree = new long[cores];
        this.poolCursor = new long[cores];
        this.next = new int[cores];
        java.util.Arrays.fill(poolFree, poolSlots);
        for (int c = 0; c < cores; c++) {
            spadUse(c, SPAD_RESERVED);
        }
    }

    static int maxFragment(PiumaConfig cfg) {
        long slots = (cfg.spadBytesPerCore() - SPAD_RESERVED) / 8;
        return (int) Long.highestOneBit(Math.max(32, Math.min(slots, 1 << 30)));
    }

    @Override
    protected ThreadProgram newProgram(int t) {
        final int c = coreOf(t);
        return new Program() {
            private final SymbolicPass symbolic = new SymbolicPass(t);
            private final LinearProbeTable table = new LinearProbeTable(16);
            private boolean symbolicDone;
            private int task = -1;
            private int stage;
            private int slots;
            private long fragment;
            private int backoff = RETRY_CYCLES;
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
                    poolFree[c] += release;
                    spadUse(c, -8 * release);
                    release = 0;
                    emit(Op.ATOMIC_POSTED, 0, 1, c, SPAD_ALLOC);
                    table.trim();
                }
                Tasks ts = tasks[c];
                if (task < 0) {
                    emit(Op.ATOMIC, 1, 1, c, SPAD_TOKENS);
                    tokens++;
                    if (next[c] >= ts.n) {
                        return false;
                    }
                    task = next[c]++;
                    stage = 0;
                    return true;
                }
                int i = ts.row[task];
                switch (stage) {
                    case 0 -> {
                        slots = pow2AtLeast(2 * ts.bound[task], 16);
                        fragment = slots + (ts.bound[task] + 1) / 2;
                        emit(Op.ATOMIC, 1, 1, c, SPAD_ALLOC);
                        if (poolFree[c] < fragment) {
                            compute(backoff);
                            backoff = Math.min(MAX_BACKOFF, 2 * backoff);
                            return true;
                        }
                        backoff = RETRY_CYCLES;
                        poolFree[c] -= fragment;
                        spadUse(c, 8L * fragment);
                        if (poolCursor[c] + fragment > poolSlots) {
                            poolCursor[c] = 0;
                        }
                        base = SPAD_RESERVED + 8 * poolCursor[c];
                        poolCursor[c] += fragment;
                        table.reset(slots);
                        loadStream(BOUNDS + 8L * i, 1, 1);
                        load(aPtr(i), 1);
                        entry = a.rowStart(i);
                        stage = 1;
                    }
                    case 1 -> {
                        insertEntry(this, c, base, 8, table, false, Op.SPAD_STORE, base + 8L * slots, 4, i, entry,
                                ts.lo[task], ts.hi[task]);
                        if (++entry == a.rowEnd(i)) {
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
                        if (cols.length < count) {
                            cols = new int[count];
                            vals = new double[count];
                        }
                        gather(table, false, i, 0, Integer.MAX_VALUE, cols, vals);
                        compute(Math.max(1, sortCycles(count)));
                        dmaStore(threadArea(C_OUT, t, 8 * written), count);
                        written += count;
                        for (int m = 0; m < count; m++) {
                            out.add(i, cols[m], vals[m]);
                        }
                        release = fragment;
                        task = -1;
                    }
                }
                return true;
            }
        };
    }
}
