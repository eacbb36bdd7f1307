package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;

/**
 * Inner-product SpGEMM: C(i, j) is the dot product of A's row i (CSR) and B's column j (CSC),
 * found by a merge of the two sorted index lists, for every non-empty row of A and every
 * non-empty column of B. Rows are dealt to threads round-robin ({@code i = t, t + T, ...}); a
 * thread walks all columns for its row, so B is re-read once per row of A (the redundant fetches
 * that make this dataflow bandwidth-hungry), while the row of A stays in the cache. Each
 * merge step is one load with a compare; a match adds a multiply-add; a non-empty dot product
 * stores one entry of C, already in column order.
 */
final class InnerProduct extends SpgemmRun {
    private static final int COLUMNS_PER_REFILL = 16;
    private final Csr bt;
    private final int[] columns;
    /** Lines between two consecutive lines of B's pointers or entries: 1, or 1/f for a column sample. */
    private final int stride;
    /** Slot of column j in B's pointer array: j, or its rank among the kept columns in a sample. */
    private final int[] ptrSlot;

    InnerProduct(Csr a, Csr b, PiumaConfig cfg, boolean keepProduct) {
        this(a, b, cfg, keepProduct, 1, null);
    }

    /**
     * A run on {@code b} with B's pointers and entries laid out for a column sample (see
     * {@link Algorithm#startInnerColumnSample}): column {@code j}'s pointer at slot {@code ptrSlot[j]},
     * and each line of B's pointer and entry arrays {@code stride} lines after the previous one.
     */
    InnerProduct(Csr a, Csr b, PiumaConfig cfg, boolean keepProduct, int stride, int[] ptrSlot) {
        super(Algorithm.INNER, a, b, cfg, keepProduct);
        if (stride < 1 || Integer.bitCount(stride) != 1) {
            throw new IllegalArgumentException("stride must be a power of two, got " + stride);
        }
        this.bt = b.transpose();
        this.stride = stride;
        this.ptrSlot = ptrSlot;
        int n = 0;
        for (int j = 0; j < bt.rows(); j++) {
            if (bt.rowLength(j) > 0) {
                n++;
            }
        }
        columns = new int[n];
        n = 0;
        for (int j = 0; j < bt.rows(); j++) {
            if (bt.rowLength(j) > 0) {
                columns[n++] = j;
            }
        }
    }

    /**
     * Every operation of an inner-product thread is a load or store through its own core's cache and
     * DRAM channel; rows are independent and there is no barrier, so cores share nothing.
     */
    @Override
    public boolean coreLocal() {
        return true;
    }

    /** Byte offset {@code off} of B's arrays with each cache line moved to {@code stride} lines apart. */
    private long spread(long off) {
        if (stride == 1) {
            return off;
        }
        long line = cfg.cacheLineBytes();
        return off / line * stride * line + off % line;
    }

    @Override
    protected ThreadProgram newProgram(int t) {
        return new Program() {
            private int row = t - threads;
            private int next = -1;
            private long written;

            @Override
            protected boolean refill() {
                if (next < 0 || next >= columns.length) {
                    row += threads;
                    if (row >= a.rows()) {
                        return false;
                    }
                    load(aPtr(row), 1);
                    next = a.rowLength(row) == 0 ? -1 : 0;
                    return true;
                }
                int end = Math.min(columns.length, next + COLUMNS_PER_REFILL);
                for (; next < end; next++) {
                    dot(row, columns[next]);
                }
                return true;
            }

            private void dot(int i, int j) {
                int[] ac = a.colIdx();
                double[] av = a.values();
                int[] br = bt.colIdx();
                double[] bv = bt.values();
                load(BT_PTR + spread(4L * (ptrSlot == null ? j : ptrSlot[j])), 1);
                int pa = a.rowStart(i);
                int ea = a.rowEnd(i);
                int pb = bt.rowStart(j);
                int eb = bt.rowEnd(j);
                load(aEnt(pa), 0);
                load(BT_ENT + spread(8L * pb), 1);
                double sum = 0;
                boolean hit = false;
                while (true) {
                    int ca = ac[pa];
                    int rb = br[pb];
                    if (ca == rb) {
                        sum += av[pa] * bv[pb];
                        hit = true;
                        pa++;
                        pb++;
                        if (pa == ea || pb == eb) {
                            break;
                        }
                        load(aEnt(pa), 0);
                        load(BT_ENT + spread(8L * pb), 2);
                    } else if (ca < rb) {
                        if (++pa == ea) {
                            break;
                        }
                        load(aEnt(pa), 1);
                    } else {
                        if (++pb == eb) {
                            break;
                        }
                        load(BT_ENT + spread(8L * pb), 1);
                    }
                }
                if (hit) {
                    store(threadArea(C_OUT, t, 8 * written++), 1, 1);
                    out.add(i, j, sum);
                }
            }
        };
    }
}
