package dev.sieve.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.dataflow.sparse.Coo;
import dev.sieve.dataflow.sparse.MatrixMarket;
import dev.sieve.dataflow.sparse.Rmat;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.sim.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code simulate piuma --write-product}: the file read back equals C = A x B computed here by an
 * independent SpGEMM (a hash map from (row, column) to the running sum, over the triples of the
 * inputs, no compressed rows), with stored zeros kept or dropped as asked; and the progress display.
 */
class PiumaProductTest {

    @TempDir
    Path tmp;

    /** C = A x B over hash maps: entry -> {sum, sum of |terms|}; an entry exists when a product reaches it. */
    static Map<Long, double[]> hashProduct(Coo a, Coo b) {
        Map<Integer, List<double[]>> bRows = new HashMap<>();
        for (int n = 0; n < b.size(); n++) {
            bRows.computeIfAbsent(b.row()[n], k -> new java.util.ArrayList<>()).add(new double[] {b.col()[n], b.value()[n]});
        }
        Map<Long, double[]> c = new HashMap<>();
        for (int n = 0; n < a.size(); n++) {
            for (double[] e : bRows.getOrDefault(a.col()[n], List.of())) {
                double term = a.value()[n] * e[1];
                double[] s = c.computeIfAbsent((long) a.row()[n] * b.cols() + (long) e[0], k -> new double[2]);
                s[0] += term;
                s[1] += Math.abs(term);
            }
        }
        return c;
    }

    /**
     * Checks that {@code written} (read back from the file) holds exactly the entries of
     * {@code want} (less its zeros when {@code dropZeros}), each value within {@code tol} x the sum
     * of its terms' magnitudes (0 for integer data: exact).
     */
    static void assertProduct(Map<Long, double[]> want, Coo written, long cols, boolean dropZeros, double tol) {
        Map<Long, Double> got = new HashMap<>();
        for (int n = 0; n < written.size(); n++) {
            Double old = got.put((long) written.row()[n] * cols + written.col()[n], written.value()[n]);
            assertEquals(null, old, "entry written twice at " + written.row()[n] + ", " + written.col()[n]);
        }
        int expected = 0;
        for (Map.Entry<Long, double[]> e : want.entrySet()) {
            double v = e.getValue()[0];
            if (dropZeros && v == 0.0) {
                assertFalse(got.containsKey(e.getKey()), "a zero sum was written at " + e.getKey());
                continue;
            }
            expected++;
            Double g = got.get(e.getKey());
            assertTrue(g != null, "missing entry (" + e.getKey() / cols + ", " + e.getKey() % cols + ")");
            assertEquals(v, g, tol * e.getValue()[1], "entry (" + e.getKey() / cols + ", " + e.getKey() % cols + ")");
        }
        assertEquals(expected, written.size(), "entries written");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"smash-v3", "inner", "outer", "gustavson"})
    void theProductOfAnRmatGraphEqualsAnIndependentSpgemm(String algo) throws Exception {
        Path c = tmp.resolve(algo).resolve("C.mtx");
        CliRun.Result r = CliRun.run("piuma", "--rmat", "9,8", "--seed", "3", "--algo", algo, "--no-progress",
                "--write-product", c.toString(), "--out", tmp.resolve("o-" + algo).toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        MatrixMarket.Read read = MatrixMarket.readWithHeader(c);
        assertEquals(MatrixMarket.Field.INTEGER, read.field(), "R-MAT values are ones: integer");
        Csr a = Rmat.generate(9, 8, 3);
        assertEquals(512, read.matrix().rows());
        // integer data: every sum exact
        assertProduct(hashProduct(a.toCoo(), a.toCoo()), read.matrix(), a.cols(), false, 0);
        assertTrue(r.out().contains("product: " + c + " (512 x 512, " + read.matrix().size() + " entries, integer) from "
                + algo + "; 0 stored zeros kept as structure (as GraphBLAS)"), r.out());
        try (var files = Files.list(c.getParent())) {
            assertEquals(List.of(c), files.toList(), "only the product, no temporary file");
        }
    }

    /**
     * The shared SuiteSparse matrices as they are (real values, symmetric files expanded): the file
     * written equals the independent product within the rounding another summation order can cause,
     * 2(n-1) 2^-53 times the sum of an entry's |terms| (n: the longest row of A), as --check allows.
     */
    @Tag("validation")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"karate.mtx", "west0067.mtx", "bcsstk13.mtx", "cryg2500.mtx"})
    void theProductOfEachSharedMatrixEqualsAnIndependentSpgemm(String name) throws Exception {
        Path m = SharedData.matrix(name);
        Coo a = MatrixMarket.read(m);
        Map<Long, double[]> want = hashProduct(a, a);
        int longest = 1;
        Csr csr = a.toCsr();
        for (int i = 0; i < csr.rows(); i++) {
            longest = Math.max(longest, csr.rowLength(i));
        }
        for (String mode : List.of("keep", "drop")) {
            Path c = tmp.resolve(mode + "-" + name);
            // the baselines sampled small: only the product matters here
            CliRun.Result r = CliRun.run("piuma", "--matrix", m.toString(), "--algo", "smash-v3", "--no-progress",
                    "--baseline-max-ops", "1e5",
                    "--explicit-zeros", mode, "--write-product", c.toString(), "--out", tmp.resolve("o" + mode).toString());
            assertEquals(0, r.exit(), r.err() + r.out());
            MatrixMarket.Read read = MatrixMarket.readWithHeader(c);
            assertEquals(name.equals("karate.mtx") ? MatrixMarket.Field.INTEGER : MatrixMarket.Field.REAL, read.field(),
                    "a pattern file's product is integer, a real file's real");
            assertProduct(want, read.matrix(), a.cols(), mode.equals("drop"), 2.0 * (longest - 1) * 0x1.0p-53);
        }
    }

    @Test
    void storedZerosAreKeptAsStructureOrDroppedAsAsked() throws Exception {
        // A (3 x 3, real): an explicit zero at (0,1), and row 2 = (1, -1, 0) against B = A, so that
        // C(2,0) = 1*2 + (-1)*2 = 0 cancels; B's explicit zero makes C(x,1) structural zeros
        Path a = tmp.resolve("a.mtx");
        Files.writeString(a, """
                %%MatrixMarket matrix coordinate real general
                3 3 7
                1 1 2.5
                1 2 0
                2 1 2
                2 3 1
                3 1 1
                3 2 -1
                3 3 0.5
                """);
        Coo coo = MatrixMarket.read(a);
        Map<Long, double[]> want = hashProduct(coo, coo);
        long zeros = want.values().stream().filter(v -> v[0] == 0.0).count();
        assertTrue(zeros >= 2, "the example has zero sums: " + zeros);
        for (String mode : List.of("keep", "drop")) {
            Path c = tmp.resolve(mode + ".mtx");
            CliRun.Result r = CliRun.run("piuma", "--matrix", a.toString(), "--algo", "smash-v3", "--no-progress",
                    "--explicit-zeros", mode, "--write-product", c.toString(), "--out", tmp.resolve("o" + mode).toString());
            assertEquals(0, r.exit(), r.err() + r.out());
            MatrixMarket.Read read = MatrixMarket.readWithHeader(c);
            assertEquals(MatrixMarket.Field.REAL, read.field());
            assertProduct(want, read.matrix(), 3, mode.equals("drop"), 4 * 0x1.0p-53);
            assertEquals(mode.equals("keep") ? want.size() : want.size() - zeros, read.matrix().size());
            assertTrue(r.out().contains(zeros + " stored zeros " + (mode.equals("keep") ? "kept as structure"
                    : "dropped")), r.out());
        }
        CliRun.Result bad = CliRun.run("piuma", "--matrix", a.toString(), "--explicit-zeros", "some",
                "--write-product", tmp.resolve("x.mtx").toString(), "--out", tmp.resolve("ox").toString());
        assertEquals(2, bad.exit());
        assertEquals("piuma: --explicit-zeros = some is not allowed; allowed: keep, drop", bad.err().strip());
    }

    @Test
    void aHypersparseFileRunsAsItsNonEmptyPartAndItsProductKeepsTheFullShape() throws Exception {
        // 2e9 x 2e9 with two entries: per-row arrays of that shape would need 2e9 x 64 B per dimension,
        // far more than a test JVM has. C = A x A has one entry: A(2e9, 7) * A(7, 1999999990) = 3 * 5
        Path a = tmp.resolve("hyper.mtx");
        Files.writeString(a, "%%MatrixMarket matrix coordinate integer general\n2000000000 2000000000 2\n"
                + "2000000000 7 3\n7 1999999990 5\n");
        Path c = tmp.resolve("c.mtx");
        CliRun.Result r = CliRun.run("piuma", "--matrix", a.toString(), "--algo", "all", "--check", "--no-progress",
                "--write-product", c.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().startsWith("hypersparse: A (2000000000 x 2000000000) and B (2000000000 x 2000000000)"),
                r.out());
        assertTrue(r.out().contains("simulating their non-empty part: A 2 x 3, B 3 x 2"), r.out());
        assertEquals(6, r.out().lines().filter(l -> l.startsWith("check: ") && l.contains(" equals the reference"))
                .count(), r.out());
        assertEquals(List.of("%%MatrixMarket matrix coordinate integer general", "% written by Sieve",
                "2000000000 2000000000 1", "2000000000 1999999990 15"), Files.readAllLines(c));
        // the issue's file: one entry, an empty product
        Files.writeString(a, "%%MatrixMarket matrix coordinate real general\n2000000000 2000000000 1\n1999999999 5 2.5\n");
        r = CliRun.run("piuma", "--matrix", a.toString(), "--algo", "smash-v3", "--no-progress",
                "--write-product", c.toString(), "--out", tmp.resolve("o1").toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        assertEquals(List.of("%%MatrixMarket matrix coordinate real general", "% written by Sieve",
                "2000000000 2000000000 0"), Files.readAllLines(c));
    }

    @Test
    void aProductPathThatIsAFolderIsRefusedBeforeAnyWork() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("folder"));
        CliRun.Result r = CliRun.run("piuma", "--rmat", "6,4", "--write-product", folder.toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--write-product") && r.err().contains("is a folder"), r.err());
        assertFalse(Files.exists(tmp.resolve("o")), "nothing written");
    }

    @Test
    void progressGoesToStderrAndNoProgressSilencesIt() {
        PrintStream old = System.err;
        for (boolean quiet : new boolean[] {false, true}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CliRun.Result r;
            try {
                r = quiet ? CliRun.run("piuma", "--rmat", "8,8", "--algo", "smash-v3", "--no-progress", "--out",
                        tmp.resolve("q").toString())
                        : CliRun.run("piuma", "--rmat", "8,8", "--algo", "smash-v3", "--out", tmp.resolve("p").toString());
            } finally {
                System.setErr(old);
            }
            assertEquals(0, r.exit(), r.err());
            String shown = err.toString(StandardCharsets.UTF_8);
            if (quiet) {
                assertEquals("", shown);
            } else {
                // not a terminal: plain lines with the operations done of the estimated total, the
                // elapsed time and the time left, and the rate ('?' before the first measurement)
                List<String> lines = shown.strip().lines().toList();
                assertFalse(lines.isEmpty(), "a progress line");
                for (String line : lines) {
                    assertTrue(line.matches("piuma +\\d+% \\[[#.]+\\] +\\d+/\\d+ ops \\(\\d+:\\d\\d:\\d\\d / "
                            + "(\\d+:\\d\\d:\\d\\d|\\?)\\) ([0-9.]+|\\?) ops/s"), line);
                }
                assertFalse(r.out().contains(" ops ("), "the display is not on stdout");
            }
        }
    }
}
