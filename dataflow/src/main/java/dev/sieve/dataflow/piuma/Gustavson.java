package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;
import java.util.Arrays;

/**
 * Row-wise (Gustavson) SpGEMM with a dense accumulator: each thread owns an accumulator array of
 * B's column count in DRAM (too large for 66 threads' share of a scratchpad) and a list of the
 * columns it touched. Rows are dealt round-robin. For every product {@code A(i,k) * B(k,j)} the
 * thread reads B's entry (through the cache), reads and writes {@code acc[j]} (uncached, a
 * tagged word so no clearing is needed) and appends {@code j} to the touched list on first use;
 * at the end of a row it sorts the touched columns and gathers them into C.
 */
final class Gustavson extends SpgemmRun {
    private static final int CHUNK = 4096;

    Gustavson(Csr a, Csr b, PiumaConfig cfg, boolean keepProduct) {
        super(Algorithm.GUSTAVSON, a, b, cfg, keepProduct);
    }

    @Override
    protected ThreadProgram newProgram(int t) {
        return new Program() {
            private int row = t;
            private int entry = -1;
            private int stage;
            private int cursor;
            private long written;
            private final LinearProbeTable acc = new LinearProbeTable(16);
            private int[] cols = new int[16];
            private double[] vals = new double[16];
            private int count;

            @Override
            protected boolean refill() {
                if (row >= a.rows()) {
                    return false;
                }
                int i = row;
                if (stage == 0) {
                    load(aPtr(i), 1);
                    if (a.rowLength(i) == 0 || flopsRow[i] == 0) {
                        row += threads;
                        return true;
                    }
                    acc.reset(pow2AtLeast(2 * Math.min(flopsRow[i], (long) b.cols()), 16));
                    entry = a.rowStart(i);
                    stage = 1;
                    return true;
                }
                if (stage == 1) {
                    int k = a.colIdx()[entry];
                    double x = a.values()[entry];
                    load(aEnt(entry), 0);
                    load(bPtr(k), 1);
                    int[] bc = b.colIdx();
                    double[] bv = b.values();
                    for (int q = b.rowStart(k); q < b.rowEnd(k); q++) {
                        int j = bc[q];
                        long accAddr = threadArea(ACCUMULATORS, t, 8L * j);
                        load(bEnt(q), 0);
                        loadStream(accAddr, 1, 1);
                        store(accAddr, 1, 2);
                        if (acc.accumulate(j, x * bv[q]) < 0) {
                            store(threadArea(TOUCHED, t, 8L * (acc.used() - 1)), 1, 1);
                        }
                    }
                    if (++entry == a.rowEnd(i)) {
                        gather();
                        compute(sortCycles(count));
                        stage = 2;
                        cursor = 0;
                    }
                    return true;
                }
                int end = Math.min(count, cursor + CHUNK);
                for (; cursor < end; cursor++) {
                    loadStream(threadArea(ACCUMULATORS, t, 8L * cols[cursor]), 1, 0);
                    store(threadArea(C_OUT, t, 8 * written++), 1, 1);
                    out.add(i, cols[cursor], vals[cursor]);
                }
                if (cursor == count) {
                    stage = 0;
                    row += threads;
                    acc.trim();
                }
                return true;
            }

            private void gather() {
                count = acc.used();
                if (cols.length < count) {
                    cols = new int[count];
                    vals = new double[count];
                }
                long[] packed = new long[count];
                int n = 0;
                for (int s = 0; s < acc.size(); s++) {
                    if (acc.occupied(s)) {
                        packed[n] = (acc.key(s) << 32) | s;
                        n++;
                    }
                }
                Arrays.sort(packed);
                for (int m = 0; m < count; m++) {
                    int s = (int) packed[m];
                    cols[m] = (int) (packed[m] >>> 32);
                    vals[m] = acc.sum(s);
                }
            }
        };
    }
}
