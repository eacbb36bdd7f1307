package dev.sieve.dataflow.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Matrix Market coordinate files: fields, symmetric expansion, round trips, and errors with file and line. */
class MatrixMarketTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsARealGeneralFile() throws Exception {
        Csr m = MatrixMarket.read(file("a.mtx", """
                %%MatrixMarket matrix coordinate real general
                % a comment
                3 4 3
                1 1 2.5
                3 4 -1e2
                2 2 7
                """)).toCsr();
        assertEquals(3, m.rows());
        assertEquals(4, m.cols());
        assertEquals(3, m.nnz());
        assertEquals(2.5, m.get(0, 0));
        assertEquals(-100.0, m.get(2, 3));
        assertEquals(7.0, m.get(1, 1));
    }

    @Test
    void symmetricFileIsExpandedToBothTriangles() throws Exception {
        MatrixMarket.Read r = MatrixMarket.readWithHeader(file("s.mtx", """
                %%MatrixMarket matrix coordinate integer symmetric
                3 3 4
                1 1 5
                2 1 3
                3 1 4
                3 3 9
                """));
        Csr m = r.matrix().toCsr();
        // 4 stored: 2 on the diagonal stay single, 2 below it are mirrored: 2 + 2 * 2 = 6 entries
        assertEquals(6, m.nnz());
        assertEquals(3.0, m.get(0, 1));
        assertEquals(3.0, m.get(1, 0));
        assertEquals(4.0, m.get(0, 2));
        assertEquals(4.0, m.get(2, 0));
        assertEquals(MatrixMarket.Symmetry.SYMMETRIC, r.symmetry());
        assertEquals(4, r.storedEntries());
    }

    @Test
    void skewSymmetricMirrorsWithTheOppositeSign() throws Exception {
        Csr m = MatrixMarket.read(file("k.mtx", """
                %%MatrixMarket matrix coordinate real skew-symmetric
                2 2 1
                2 1 1.5
                """)).toCsr();
        assertEquals(1.5, m.get(1, 0));
        assertEquals(-1.5, m.get(0, 1));
    }

    @Test
    void patternEntriesReadAsOne() throws Exception {
        Csr m = MatrixMarket.read(file("p.mtx", "%%MatrixMarket matrix coordinate pattern general\n2 2 2\n1 2\n2 1\n"))
                .toCsr();
        assertArrayEquals(new double[] {1, 1}, m.values());
    }

    @Test
    void writeThenReadGivesTheSameMatrix() {
        Csr m = Rmat.generateValued(6, 4, 9, 50);
        Path p = dir.resolve("out/m.mtx");
        MatrixMarket.write(p, m, MatrixMarket.Field.INTEGER);
        assertEquals(m, MatrixMarket.read(p).toCsr());
        Csr sym = new Coo(3, 3, new int[] {0, 1, 2, 0}, new int[] {1, 0, 2, 0}, new double[] {0.25, 0.25, 3, 1})
                .toCsr();
        Path q = dir.resolve("sym.mtx");
        MatrixMarket.write(q, sym, MatrixMarket.Field.REAL, MatrixMarket.Symmetry.SYMMETRIC);
        assertEquals(sym, MatrixMarket.read(q).toCsr());
    }

    @Test
    void duplicateEntriesSum() throws Exception {
        Csr m = MatrixMarket.read(file("d.mtx", "%%MatrixMarket matrix coordinate integer general\n1 1 2\n1 1 2\n1 1 3\n"))
                .toCsr();
        assertEquals(5.0, m.get(0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad banner|%%MatrixMarket matrix coordinate\\n1 1 1\\n1 1 1\\n|1|bad banner",
        "not a matrix market file|hello\\n|1|bad banner",
        "array format|%%MatrixMarket matrix array real general\\n1 1\\n1\\n|1|format 'array' is not supported",
        "complex field|%%MatrixMarket matrix coordinate complex general\\n1 1 1\\n1 1 1 0\\n|1|field 'complex'",
        "size line short|%%MatrixMarket matrix coordinate real general\\n% c\\n3 3\\n|3|must hold three integers",
        "fewer entries|%%MatrixMarket matrix coordinate real general\\n3 3 3\\n1 1 1\\n2 2 2\\n|5|file ends after 2 entries; the size line declares 3",
        "more entries|%%MatrixMarket matrix coordinate real general\\n3 3 1\\n1 1 1\\n2 2 2\\n|4|more entries than the 1 declared",
        "row out of range|%%MatrixMarket matrix coordinate real general\\n3 3 1\\n4 1 1\\n|3|row index 4 is out of range; allowed 1 .. 3",
        "column zero|%%MatrixMarket matrix coordinate real general\\n3 3 1\\n1 0 1\\n|3|column index 0 is out of range; allowed 1 .. 3",
        "non-numeric value|%%MatrixMarket matrix coordinate real general\\n3 3 2\\n1 1 1\\n2 2 abc\\n|4|value 'abc' is not a finite real number",
        "non-integer in integer file|%%MatrixMarket matrix coordinate integer general\\n3 3 1\\n1 1 1.5\\n|3|value '1.5' is not an integer",
        "missing value|%%MatrixMarket matrix coordinate real general\\n3 3 1\\n1 1\\n|3|has 2 fields",
        "upper triangle in symmetric|%%MatrixMarket matrix coordinate real symmetric\\n3 3 1\\n1 2 1\\n|3|lies above the diagonal",
        "non-square symmetric|%%MatrixMarket matrix coordinate real symmetric\\n3 4 1\\n1 1 1\\n|2|must be square",
        "non-numeric index|%%MatrixMarket matrix coordinate real general\\n3 3 1\\nx 1 1\\n|3|row index 'x' is not an integer"})
    void malformedFileNamesFileAndLine(String what, String text, int line, String message) throws Exception {
        Path p = file("bad.mtx", text.replace("\\n", "\n"));
        MatrixMarketException e = assertThrows(MatrixMarketException.class, () -> MatrixMarket.read(p));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(p + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path p = dir.resolve("none.mtx");
        dev.sieve.io.InputException e = assertThrows(dev.sieve.io.InputException.class, () -> MatrixMarket.read(p));
        assertTrue(e.getMessage().contains("none.mtx") && e.getMessage().contains("no such file"), e.getMessage());
    }
}
