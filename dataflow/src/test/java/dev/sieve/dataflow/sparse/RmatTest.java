package dev.sieve.dataflow.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The R-MAT generator: seeded, duplicate-free, and as skewed as the Graph500 parameters make it. */
class RmatTest {

    @Test
    void sameSeedSameMatrixOtherSeedOtherMatrix() {
        assertEquals(Rmat.generate(10, 8, 3), Rmat.generate(10, 8, 3));
        assertNotEquals(Rmat.generate(10, 8, 3), Rmat.generate(10, 8, 4));
    }

    @Test
    void shapeAndEdgeCount() {
        Csr m = Rmat.generate(12, 16, 1);
        assertEquals(4096, m.rows());
        assertEquals(4096, m.cols());
        // 16 x 4096 = 65,536 draws; duplicates collapse, so fewer distinct entries, but most survive
        assertTrue(m.nnz() <= 65_536 && m.nnz() > 45_000, "nnz " + m.nnz());
    }

    @Test
    void degreesAreSkewed() {
        Csr m = Rmat.generate(14, 16, 2);
        int max = 0;
        for (int i = 0; i < m.rows(); i++) {
            max = Math.max(max, m.rowLength(i));
        }
        double mean = (double) m.nnz() / m.rows();
        // a = 0.57 concentrates edges: the hub row is far above the mean (about 14), unlike a uniform
        // random graph whose maximum stays within a few times the mean
        assertTrue(max > 40 * mean, "max degree " + max + " vs mean " + mean);
    }

    @Test
    void quadrantWeightsFollowGraph500Parameters() {
        // Before the label shuffle, the first split sends a fraction a + b = 0.76 of the draws to the
        // top half of the rows; with the shuffle the hub rows spread out, so count the rows' share of
        // edges instead: the heaviest 1/2 of rows hold at least a + b of the edges.
        Csr m = Rmat.generate(12, 16, 5);
        int[] len = new int[m.rows()];
        for (int i = 0; i < m.rows(); i++) {
            len[i] = m.rowLength(i);
        }
        java.util.Arrays.sort(len);
        long top = 0;
        for (int i = m.rows() / 2; i < m.rows(); i++) {
            top += len[i];
        }
        assertTrue(top >= 0.76 * m.nnz(), "top half of rows hold " + top + " of " + m.nnz());
    }

    @Test
    void badParametersAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rmat.generate(0, 16, 1));
        assertEquals("R-MAT scale = 0 is out of range; allowed 1 .. 26", e.getMessage());
    }
}
