package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.dataflow.sparse.Rmat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AlgorithmTest {

    /** The CLI decides how to schedule a simulation before it starts the run: both must agree. */
    @Test
    void anAlgorithmIsCoreLocalExactlyWhenItsRunsAre() {
        Csr a = Rmat.generate(6, 4, 3);
        for (Algorithm alg : Algorithm.values()) {
            assertEquals(alg.start(a, a, PiumaConfig.defaults(), false).coreLocal(), alg.coreLocal(), alg.cliName());
        }
    }

    /**
     * C's row counts (bit per column, the bits cleared after each row) equal each row's distinct
     * columns counted with a set, for a square product and for {@code A x B} with B of other columns
     * (more than 64, so that rows span several words, and rows long enough to clear by a fill).
     */
    @Test
    void outerRowCountsAreTheDistinctColumnsOfEachRowOfC() {
        Csr a = Rmat.generate(9, 8, 2);
        Csr b = Rmat.generate(9, 16, 5);
        for (Csr right : new Csr[] {a, b}) {
            int[] got = Algorithm.outerRowCounts(a, right);
            for (int i = 0; i < a.rows(); i++) {
                java.util.Set<Integer> cols = new java.util.HashSet<>();
                for (int q = a.rowStart(i); q < a.rowEnd(i); q++) {
                    int k = a.colIdx()[q];
                    for (int r = right.rowStart(k); r < right.rowEnd(k); r++) {
                        cols.add(right.colIdx()[r]);
                    }
                }
                assertEquals(cols.size(), got[i], "row " + i);
            }
        }
        // the whole outer run counts the same entries
        long sum = 0;
        for (int n : Algorithm.outerRowCounts(a, b)) {
            sum += n;
        }
        SpgemmRun run = Algorithm.OUTER.start(a, b, PiumaConfig.defaults(), false);
        Untimed.run(run);
        assertEquals(run.productNnz(), sum);
    }
}
