package dev.sieve.dataflow.spgemm;

import dev.sieve.arch.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;

/**
 * SMASH V3, fragmented memory: the scratchpad of a core is a pool from which each row takes its
 * own table fragment, sized from the row's output bound (the next power of two of twice the
 * bound, 8 bytes a slot since the row is implied) and returned after the row is written. No
 * windows and no barriers after the symbolic pass: threads take rows with a token from a
 * per-core counter (cores hold blocks of equal work), allocate with one atomic (and wait, retrying
 * every 32 cycles, when the pool is short), hash, then compact and sort the fragment in the
 * scratchpad and store the row of C once, in order. Rows whose bound exceeds half the largest
 * fragment are cut into column bands.
 */
final class SmashFragments extends SmashBase {
    private static final int SLICE = 512;
    private static final int CHUNK = 4096;
    private static final int RETRY_CYCLES = 32;
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
                        emit(Op.ATOMIC, 1, 1, c, SPAD_ALLOC);
                        if (poolFree[c] < slots) {
                            compute(RETRY_CYCLES);
                            return true;
                        }
                        poolFree[c] -= slots;
                        spadUse(c, 8L * slots);
                        if (poolCursor[c] + slots > poolSlots) {
                            poolCursor[c] = 0;
                        }
                        base = SPAD_RESERVED + 8 * poolCursor[c];
                        poolCursor[c] += slots;
                        table.reset(slots);
                        loadStream(BOUNDS + 8L * i, 1, 1);
                        load(aPtr(i), 1);
                        entry = a.rowStart(i);
                        stage = 1;
                    }
                    case 1 -> {
                        insertEntry(this, c, base, 8, table, false, false, i, entry, ts.lo[task], ts.hi[task]);
                        if (++entry == a.rowEnd(i)) {
                            stage = 2;
                            cursor = 0;
                        }
                    }
                    case 2 -> {
                        int stop = Math.min(slots, cursor + SLICE);
                        for (; cursor < stop; cursor++) {
                            emit(Op.SPAD_LOAD, 1, 1, c, base + 8L * cursor);
                            if (table.occupied(cursor)) {
                                emit(Op.SPAD_STORE, 0, 1, c, base + 8L * cursor);
                            }
                        }
                        if (cursor == slots) {
                            if (cols.length < table.used()) {
                                cols = new int[table.used()];
                                vals = new double[table.used()];
                            }
                            count = gather(table, false, i, 0, Integer.MAX_VALUE, cols, vals);
                            compute(sortCycles(count));
                            stage = 3;
                            cursor = 0;
                        }
                    }
                    default -> {
                        int stop = Math.min(count, cursor + CHUNK);
                        for (; cursor < stop; cursor++) {
                            emit(Op.SPAD_LOAD, 0, 1, c, base + 8L * cursor);
                            store(threadArea(C_OUT, t, 8 * written++), 1, 1);
                            out.add(i, cols[cursor], vals[cursor]);
                        }
                        if (cursor == count) {
                            release = slots;
                            task = -1;
                            if (count == 0) {
                                compute(1);
                            }
                        }
                    }
                }
                return true;
            }
        };
    }
}
