package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.HashUnit;
import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;
import java.util.Arrays;

/**
 * What the three SMASH versions share: row-wise SpGEMM whose partial products are merged, as
 * they are produced, by atomics into a hash table in the scratchpad (SMASH, Shivdikar,
 * arXiv 2105.14156). A product {@code A(i,k) * B(k,j)} costs a load of B's entry (cached), then
 * one compare-and-swap per probed slot of the linear-probing table, the last one followed by a
 * posted atomic add of the value (one operation of two atomic-unit slots). Rows whose output
 * could overflow a table are cut into column bands, found in each B row by binary search.
 */
abstract class SmashBase extends SpgemmRun {
    /** A task: row {@code row}, columns {@code [lo, hi)}, at most {@code bound} distinct outputs. */
    static final class Tasks {
        int[] row = new int[16];
        int[] lo = new int[16];
        int[] hi = new int[16];
        long[] bound = new long[16];
        int n;

        void add(int r, int l, int h, long bd) {
            if (n == row.length) {
                row = Arrays.copyOf(row, n * 2);
                lo = Arrays.copyOf(lo, n * 2);
                hi = Arrays.copyOf(hi, n * 2);
                bound = Arrays.copyOf(bound, n * 2);
            }
            row[n] = r;
            lo[n] = l;
            hi[n] = h;
            bound[n] = bd;
            n++;
        }
    }

    protected final Tasks[] tasks;

    SmashBase(Algorithm algorithm, Csr a, Csr b, PiumaConfig cfg, boolean keepProduct, boolean balanceFlops,
              long bandLimit) {
        super(algorithm, a, b, cfg, keepProduct);
        int[] start = balanceFlops ? flopBlocks() : rowBlocks();
        tasks = new Tasks[cores];
        int ncols = b.cols();
        for (int c = 0; c < cores; c++) {
            Tasks ts = new Tasks();
            for (int i = start[c]; i < start[c + 1]; i++) {
                if (flopsRow[i] == 0) {
                    continue;
                }
                long bound = Math.min(flopsRow[i], ncols);
                if (bound <= bandLimit) {
                    ts.add(i, 0, ncols, bound);
                } else {
                    int bands = (int) ((ncols + bandLimit - 1) / bandLimit);
                    int width = (ncols + bands - 1) / bands;
                    for (int lo = 0; lo < ncols; lo += width) {
                        int hi = Math.min(ncols, lo + width);
                        ts.add(i, lo, hi, Math.min(flopsRow[i], hi - lo));
                    }
                }
            }
            tasks[c] = ts;
        }
    }

    /** Contiguous blocks of equal row count, one per core. */
    private int[] rowBlocks() {
        int[] s = new int[cores + 1];
        for (int c = 0; c <= cores; c++) {
            s[c] = (int) ((long) a.rows() * c / cores);
        }
        return s;
    }

    /** Contiguous blocks of about equal work (multiply-adds plus one per row), one per core. */
    private int[] flopBlocks() {
        double total = 0;
        for (long f : flopsRow) {
            total += f + 1;
        }
        int[] s = new int[cores + 1];
        double acc = 0;
        int c = 1;
        for (int i = 0; i < a.rows() && c < cores; i++) {
            acc += flopsRow[i] + 1;
            while (c < cores && acc >= total * c / cores) {
                s[c++] = i + 1;
            }
        }
        while (c < cores) {
            s[c++] = a.rows();
        }
        s[cores] = a.rows();
        return s;
    }

    /**
     * Emits one A entry's share of a task: the loads of A's entry and of B's row bounds, the band
     * search, then one load and one hash insert per product. With {@code rowBits >= 0} the table is
     * shared by the rows from {@code rowBase} on and keyed by {@link #rowKey}, else by the column
     * alone. A new key also issues
     * {@code newKeyKind} (unless negative) at {@code newKeyAddress + newKeyStride * (keys - 1)}:
     * V1/V2 count the row's outputs with a posted atomic, V3 appends the slot to the fragment's
     * occupancy list.
     */
    final void insertEntry(Emitter p, int core, long tableBase, int entryBytes, LinearProbeTable table,
                           int rowBase, int rowBits, int newKeyKind, long newKeyAddress, int newKeyStride,
                           int i, int q, int lo, int hi) {
        int k = a.colIdx()[q];
        double x = a.values()[q];
        p.op(Op.LOAD, 0, 1, 0, aEnt(q));
        p.op(Op.LOAD, 1, 1, 0, bPtr(k));
        int start = b.rowStart(k);
        int end = b.rowEnd(k);
        if (lo > 0 || hi < b.cols()) {
            int len = end - start;
            start = lowerBound(k, lo);
            int steps = 32 - Integer.numberOfLeadingZeros(len);
            for (int s = 0; s < steps; s++) {
                p.op(Op.LOAD, 1, 1, 0, bEnt(Math.min(start, end - 1)));
            }
        }
        int[] bc = b.colIdx();
        double[] bv = b.values();
        int slots = table.size();
        long probes = 0;
        long collisions = 0;
        for (int r = start; r < end; r++) {
            int j = bc[r];
            if (j >= hi) {
                break;
            }
            p.op(Op.LOAD, 0, 1, 0, bEnt(r));
            long key = rowBits < 0 ? j : rowKey(i - rowBase, j, rowBits);
            int home = table.home(key);
            int res = table.accumulate(key, home, x * bv[r]);
            int n = Math.abs(res);
            probes += n;
            collisions += n - 1;
            int slot = home;
            for (int m = 0; m < n - 1; m++) {
                p.op(Op.ATOMIC, m == 0 ? 3 : 1, 1, core, tableBase + (long) entryBytes * slot);
                slot = HashUnit.nextSlot(slot, slots);
            }
            p.op(Op.ATOMIC, n == 1 ? 3 : 1, 2, core, tableBase + (long) entryBytes * slot);
            if (res < 0 && newKeyKind >= 0) {
                p.op(newKeyKind, 0, 1, core, newKeyAddress + (long) newKeyStride * (table.used() - 1));
            }
        }
        hashProbes.add(core, probes);
        hashCollisions.add(core, collisions);
    }

    /**
     * The key of (row offset {@code r} in a window of rows, column {@code j}) in a table shared by
     * rows: the column above {@code rowBits} bits of row offset. The hash folds the low bits of a
     * key into the table's slots and XORs the higher ones in, so the rows of one column sit side by
     * side in an aligned group of slots and the columns spread over the groups as column keys do;
     * with the row above the column (or apart from it) the rows' offsets and the columns would XOR
     * onto the same low slot bits, and rows sharing their columns (R-MAT hubs) would pile up.
     */
    static long rowKey(int r, int j, int rowBits) {
        return ((long) j << rowBits) | r;
    }

    /** Sorted (column, value) pairs of a column-keyed table's current entries. */
    static int gather(LinearProbeTable table, int[] cols, double[] vals) {
        int n = 0;
        for (int s = 0; s < table.size(); s++) {
            if (!table.occupied(s)) {
                continue;
            }
            int j = (int) table.key(s);
            cols[n] = j;
            vals[n] = table.sum(s);
            n++;
        }
        sortPairs(cols, vals, n);
        return n;
    }

    static void sortPairs(int[] cols, double[] vals, int n) {
        long[] packed = new long[n];
        double[] tmp = Arrays.copyOf(vals, n);
        for (int m = 0; m < n; m++) {
            packed[m] = ((long) cols[m] << 32) | m;
        }
        Arrays.sort(packed);
        for (int m = 0; m < n; m++) {
            cols[m] = (int) (packed[m] >>> 32);
            vals[m] = tmp[(int) packed[m]];
        }
    }
}
