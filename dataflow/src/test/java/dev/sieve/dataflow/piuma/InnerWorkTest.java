package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.dataflow.sparse.Rmat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link InnerWork}'s counts against the loads the inner product's programs actually emit. */
class InnerWorkTest {

    /** Loads and loads of A's entries the programs of {@code a x b} emit, over all threads. */
    static long[] drain(Csr a, Csr b, PiumaConfig cfg) {
        SpgemmRun run = Algorithm.INNER.start(a, b, cfg, false);
        long loads = 0;
        long aLoads = 0;
        for (int t = 0; t < cfg.threads(); t++) {
            ThreadProgram p = run.program(t);
            for (long op = p.next(); op != Op.END; op = p.next()) {
                if (Op.kind(op) == Op.LOAD) {
                    loads++;
                    long addr = Op.address(op);
                    if (addr >= SpgemmRun.A_ENT && addr < SpgemmRun.A_ENT + SpgemmRun.REGION) {
                        aLoads++;
                    }
                }
            }
        }
        return new long[] {loads, aLoads};
    }

    @Test
    void aWorkedPairCostsFiveLoads() {
        // a = {0, 2}, B's only column {1, 2, 3}: the merge stops at m = min(2, 3) = 2. Loads: B's
        // pointer, a[0], b[0]; 0 < 1 moves a (load a[1]); 2 > 1 moves b (load b[1]); 2 == 2 ends it.
        // A: 1 + |{a < 2}| = 2; B: 2 + |{b < 2}| = 3; plus the row pointer: 6.
        Csr a = new Csr(1, 4, new int[] {0, 2}, new int[] {0, 2}, new double[] {1, 1});
        Csr b = new Csr(4, 1, new int[] {0, 0, 1, 2, 3}, new int[] {0, 0, 0}, new double[] {1, 1, 1});
        InnerWork w = InnerWork.of(a, b);
        assertEquals(6, w.loads(0));
        assertEquals(2, w.aLoads(0));
        assertEquals(1, w.pairs(0));
    }

    @Test
    void everyRowsLoadsAreCountedExactly() {
        PiumaConfig cfg = PiumaConfig.defaults();
        for (long seed = 1; seed <= 2; seed++) {
            Csr a = Rmat.generate(9, 8, seed);
            Csr b = Rmat.generate(9, 8, seed + 10);
            InnerWork w = InnerWork.of(a, b);
            long[] all = drain(a, b, cfg);
            long aAll = 0;
            for (int i = 0; i < a.rows(); i++) {
                aAll += w.aLoads(i);
            }
            assertEquals(all[0], w.totalLoads(), "seed " + seed);
            assertEquals(all[1], aAll, "seed " + seed);
            // row by row: A with one row left, every other row costs its pointer's load
            int heaviest = 0;
            for (int i = 0; i < a.rows(); i++) {
                if (w.loads(i) > w.loads(heaviest)) {
                    heaviest = i;
                }
            }
            for (int r : new int[] {heaviest, 0, 1, 7, 100, 311, a.rows() - 1}) {
                Csr one = a.keepRows(i -> i == r);
                long[] got = drain(one, b, cfg);
                assertEquals(w.loads(r) + a.rows() - 1, got[0], "row " + r);
                assertEquals(w.aLoads(r), got[1], "row " + r);
            }
            assertTrue(w.loads(heaviest) > 1);
        }
    }
    @Test
    void eachCoreGetsTheLoadsOfTheRowsItsThreadsAreDealt() {
        // 3 cores x 2 threads: row i goes to thread i mod 6, core (i mod 6) / 2
        Csr a = Rmat.generate(7, 8, 3);
        InnerWork w = InnerWork.of(a, a);
        long[] perCore = w.coreLoads(6, 2);
        long[] byHand = new long[3];
        for (int i = 0; i < a.rows(); i++) {
            int t = i % 6;
            byHand[t < 2 ? 0 : t < 4 ? 1 : 2] += w.loads(i);
        }
        assertEquals(java.util.Arrays.toString(byHand), java.util.Arrays.toString(perCore));
        assertEquals(w.totalLoads(), perCore[0] + perCore[1] + perCore[2]);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> w.coreLoads(6, 4));
    }
}
