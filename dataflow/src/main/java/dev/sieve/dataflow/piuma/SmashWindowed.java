package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;

/**
 * SMASH V1 and V2: one hash table per core in its scratchpad, keyed by (row, column) (the column
 * above the row's offset in its window, {@link SmashBase#rowKey}), 16 bytes a
 * slot. Each core owns a contiguous block of rows, cut into windows whose summed output bound
 * fills at most half of the table (the table is sized to the window, a power of two). A window
 * runs in three steps separated by core barriers: hashing (every product merged by atomics as it
 * is produced), write-back (threads scan slices of the table and store the occupied slots as
 * (row, column, value) tuples to DRAM, placed by per-row counters kept during hashing), and a
 * per-row sort: the row's tuples come back into the scratchpad by DMA, are sorted there and the row
 * of C leaves by DMA.
 *
 * <p>V1 deals rows and table slices statically ({@code task = t, t + threadsPerCore, ...}) and
 * gives cores equal row counts. V2 tokenizes: threads take rows, 512-slot slices and sort jobs
 * from per-core counters with an atomic fetch-and-add, and core blocks hold equal work.
 */
final class SmashWindowed extends SmashBase {
    private static final int SLICE = 512;
    private final boolean tokenized;
    private final int capacity;
    private final int[][] windowStart;
    private final int[][] windowSlots;
    /** Per core and window: the window's first row and the bits of row offset in its keys. */
    private final int[][] windowRowBase;
    private final int[][] windowRowBits;
    private final LinearProbeTable[] table;
    private final int[] tableWindow;
    private final long[] tableBytes;
    private final int[] finishedWindow;
    private final int[][] taskFirst;
    private int[][] gatheredCols;
    private double[][] gatheredVals;
    private final long[] tuplesWritten;
    // tokenized work queues: per core, per phase, the window they count for and the next item
    private final int[][] queueWindow;
    private final int[][] queueNext;

    SmashWindowed(Algorithm algorithm, Csr a, Csr b, PiumaConfig cfg, boolean keepProduct) {
        super(algorithm, a, b, cfg, keepProduct, algorithm == Algorithm.SMASH_V2, capacityOf(cfg) / 2);
        this.tokenized = algorithm == Algorithm.SMASH_V2;
        this.capacity = capacityOf(cfg);
        windowStart = new int[cores][];
        windowSlots = new int[cores][];
        windowRowBase = new int[cores][];
        windowRowBits = new int[cores][];
        for (int c = 0; c < cores; c++) {
            Tasks ts = tasks[c];
            int[] start = new int[ts.n + 1];
            int[] slots = new int[ts.n];
            int w = 0;
            int k = 0;
            while (k < ts.n) {
                start[w] = k;
                long sum = 0;
                while (k < ts.n && (sum == 0 || sum + ts.bound[k] <= capacity / 2)) {
                    sum += ts.bound[k];
                    k++;
                }
                slots[w] = Math.min(capacity, pow2AtLeast(2 * sum, 16));
                w++;
            }
            start[w] = ts.n;
            windowStart[c] = java.util.Arrays.copyOf(start, w + 1);
            windowSlots[c] = java.util.Arrays.copyOf(slots, w);
            windowRowBase[c] = new int[w];
            windowRowBits[c] = new int[w];
            for (int x = 0; x < w; x++) {
                int first = ts.row[start[x]];
                windowRowBase[c][x] = first;
                windowRowBits[c][x] = 32 - Integer.numberOfLeadingZeros(ts.row[start[x + 1] - 1] - first);
            }
        }
        table = new LinearProbeTable[cores];
        tableWindow = new int[cores];
        tableBytes = new long[cores];
        finishedWindow = new int[cores];
        java.util.Arrays.fill(tableWindow, -1);
        java.util.Arrays.fill(finishedWindow, -1);
        taskFirst = new int[cores][];
        gatheredCols = new int[cores][];
        gatheredVals = new double[cores][];
        tuplesWritten = new long[cores];
        queueWindow = new int[cores][4];
        queueNext = new int[cores][4];
        for (int[] q : queueWindow) {
            java.util.Arrays.fill(q, -1);
        }
        for (int c = 0; c < cores; c++) {
            spadUse(c, SPAD_RESERVED);
        }
    }

    /** Table slots that fit one core's scratchpad after the reserved counters: a power of two. */
    static int capacityOf(PiumaConfig cfg) {
        long slots = (cfg.spadBytesPerCore() - SPAD_RESERVED) / 16;
        return (int) Long.highestOneBit(Math.max(2, Math.min(slots, 1 << 30)));
    }

    /** Windows of core {@code c}. */
    int windows(int c) {
        return windowSlots[c].length;
    }

    private LinearProbeTable tableFor(int c, int w) {
        if (tableWindow[c] != w) {
            int slots = windowSlots[c][w];
            if (table[c] == null) {
                table[c] = new LinearProbeTable(slots);
            }
            table[c].reset(slots);
            tableWindow[c] = w;
            spadUse(c, 16L * slots - tableBytes[c]);
            tableBytes[c] = 16L * slots;
        }
        return table[c];
    }

    /** Takes the next item of a per-core queue for {@code phase} of window {@code w}. */
    private int take(int c, int phase, int w, int first) {
        if (queueWindow[c][phase] != w) {
            queueWindow[c][phase] = w;
            queueNext[c][phase] = first;
        }
        tokens.add(c, 1);
        return queueNext[c][phase]++;
    }

    /** After hashing window {@code w} of core {@code c}: each task's sorted entries, for the sort step. */
    private void finishWindow(int c, int w) {
        if (finishedWindow[c] == w) {
            return;
        }
        finishedWindow[c] = w;
        Tasks ts = tasks[c];
        int w0 = windowStart[c][w];
        int w1 = windowStart[c][w + 1];
        LinearProbeTable tb = tableFor(c, w);
        int rowBits = windowRowBits[c][w];
        int rowBase = windowRowBase[c][w];
        int[] count = new int[w1 - w0 + 1];
        int[] cols = new int[tb.used()];
        double[] vals = new double[tb.used()];
        int[] owner = new int[tb.used()];
        int n = 0;
        for (int s = 0; s < tb.size(); s++) {
            if (tb.occupied(s)) {
                long key = tb.key(s);
                int row = rowBase + (int) (key & ((1L << rowBits) - 1));
                int col = (int) (key >>> rowBits);
                int task = findTask(ts, w0, w1, row, col);
                owner[n] = task - w0;
                cols[n] = col;
                vals[n] = tb.sum(s);
                count[task - w0 + 1]++;
                n++;
            }
        }
        for (int k = 0; k < w1 - w0; k++) {
            count[k + 1] += count[k];
        }
        int[] first = count.clone();
        int[] fill = count.clone();
        int[] sc = new int[n];
        double[] sv = new double[n];
        for (int m = 0; m < n; m++) {
            int at = fill[owner[m]]++;
            sc[at] = cols[m];
            sv[at] = vals[m];
        }
        for (int k = 0; k < w1 - w0; k++) {
            int lo = first[k];
            int len = first[k + 1] - lo;
            int[] c2 = java.util.Arrays.copyOfRange(sc, lo, lo + len);
            double[] v2 = java.util.Arrays.copyOfRange(sv, lo, lo + len);
            sortPairs(c2, v2, len);
            System.arraycopy(c2, 0, sc, lo, len);
            System.arraycopy(v2, 0, sv, lo, len);
        }
        taskFirst[c] = first;
        gatheredCols[c] = sc;
        gatheredVals[c] = sv;
    }

    private static int findTask(Tasks ts, int w0, int w1, int row, int col) {
        int lo = w0;
        int hi = w1 - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (ts.row[mid] < row || (ts.row[mid] == row && ts.lo[mid] <= col)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    protected ThreadProgram newProgram(int t) {
        final int c = coreOf(t);
        final int local = t % threadsPerCore;
        return new Program() {
            private final SymbolicPass symbolic = new SymbolicPass(t);
            private int phase;
            private int w;
            private int task = -1;
            private int staticNext = -1;
            private int entry;
            private int cursor;
            private int end;
            private long written;

            @Override
            protected boolean refill() {
                Tasks ts = tasks[c];
                while (true) {
                    switch (phase) {
                        case 0 -> {
                            if (symbolic.step(this)) {
                                return true;
                            }
                            if (windows(c) == 0) {
                                return false;
                            }
                            phase = 1;
                            staticNext = -1;
                        }
                        case 1 -> {
                            if (task < 0) {
                                int idx = nextItem(1, windowStart[c][w], windowStart[c][w + 1]);
                                if (idx < 0) {
                                    barrier(c);
                                    phase = 2;
                                    staticNext = -1;
                                    cursor = end = 0;
                                    return true;
                                }
                                task = idx;
                                entry = a.rowStart(ts.row[task]);
                                load(aPtr(ts.row[task]), 1);
                                return true;
                            }
                            int i = ts.row[task];
                            insertEntry(this, c, SPAD_RESERVED, 16, tableFor(c, w), windowRowBase[c][w],
                                    windowRowBits[c][w], Op.ATOMIC_POSTED,
                                    SPAD_COUNTERS + 8L * (i & 255), 0, i, entry, ts.lo[task], ts.hi[task]);
                            if (++entry == a.rowEnd(i)) {
                                task = -1;
                            }
                            return true;
                        }
                        case 2 -> {
                            finishWindow(c, w);
                            if (cursor == end) {
                                int slots = windowSlots[c][w];
                                int slices = (slots + SLICE - 1) / SLICE;
                                if (tokenized) {
                                    int idx = nextItem(2, 0, slices);
                                    if (idx < 0) {
                                        return finishScan();
                                    }
                                    cursor = idx * SLICE;
                                    end = Math.min(slots, cursor + SLICE);
                                    return true;
                                }
                                if (staticNext == -2) {
                                    return finishScan();
                                }
                                staticNext = -2;
                                cursor = (int) ((long) slots * local / threadsPerCore);
                                end = (int) ((long) slots * (local + 1) / threadsPerCore);
                                if (cursor == end) {
                                    return finishScan();
                                }
                            }
                            LinearProbeTable tb = tableFor(c, w);
                            int stop = Math.min(end, cursor + SLICE);
                            for (; cursor < stop; cursor++) {
                                emit(Op.SPAD_LOAD, 1, 1, c, SPAD_RESERVED + 16L * cursor);
                                if (tb.occupied(cursor)) {
                                    emit(Op.SPAD_LOAD, 0, 1, c, SPAD_RESERVED + 16L * cursor + 8);
                                    store(TUPLES + 16 * tuplesWritten[c]++, 2, 1);
                                }
                            }
                            return true;
                        }
                        default -> {
                            if (task < 0) {
                                int idx = nextItem(3, windowStart[c][w], windowStart[c][w + 1]);
                                if (idx < 0) {
                                    w++;
                                    if (w == windows(c)) {
                                        return false;
                                    }
                                    phase = 1;
                                    staticNext = -1;
                                    continue;
                                }
                                task = idx;
                            }
                            int k = task - windowStart[c][w];
                            int lo = taskFirst[c][k];
                            int u = taskFirst[c][k + 1] - lo;
                            // DMA the row's tuples into the scratchpad, sort there, DMA the row of C out
                            dmaLoad(TUPLES + 16L * lo, 2L * u);
                            compute(sortCycles(u));
                            dmaStore(threadArea(C_OUT, t, 8 * written), u);
                            written += u;
                            for (int m = 0; m < u; m++) {
                                out.add(ts.row[task], gatheredCols[c][lo + m], gatheredVals[c][lo + m]);
                            }
                            task = -1;
                            if (u > 0) {
                                return true;
                            }
                        }
                    }
                }
            }

            private boolean finishScan() {
                barrier(c);
                phase = 3;
                staticNext = -1;
                task = -1;
                return true;
            }

            /** The next task (or slice) of this phase: static round-robin (V1) or a token (V2); -1 when none. */
            private int nextItem(int ph, int first, int limit) {
                if (tokenized) {
                    emit(Op.ATOMIC, 1, 1, c, SPAD_TOKENS + 8L * ph);
                    int idx = take(c, ph, w, first);
                    return idx < limit ? idx : -1;
                }
                staticNext = staticNext < 0 ? first + local : staticNext + threadsPerCore;
                return staticNext < limit ? staticNext : -1;
            }
        };
    }
}
