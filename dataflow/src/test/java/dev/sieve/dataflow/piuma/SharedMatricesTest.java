package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.dataflow.sparse.MatrixMarket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SuiteSparse matrices of the shared data folder: read (symmetric ones expanded), made
 * integer-valued so that sums are exact, squared by every algorithm and compared with the
 * reference. Reads {@code sieve.shared.dir}, else {@code ../shared} beside the repository.
 */
@Tag("validation")
class SharedMatricesTest {

    static Path shared() {
        String prop = System.getProperty("sieve.shared.dir");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("arch-model")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("../shared").normalize();
    }

    static Csr load(String name) {
        Path p = shared().resolve("data/matrices").resolve(name);
        assertTrue(Files.exists(p), "missing " + p + " (set -Dsieve.shared.dir)");
        return MatrixMarket.read(p).toCsr();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // rows, stored entries, entries after expansion: a symmetric file of s stored entries with d on
        // the diagonal expands to 2s - d (karate has no self loops: 2 x 78)
        "karate.mtx, 34, 156",
        "west0067.mtx, 67, 294",
        "bcsstk13.mtx, 2003, 83883",
        "cryg2500.mtx, 2500, 12349"})
    void filesReadWithTheirDocumentedShapes(String name, int rows, int entries) {
        Csr m = load(name);
        assertEquals(rows, m.rows());
        assertEquals(rows, m.cols());
        assertEquals(entries, m.nnz());
        if (name.equals("karate.mtx") || name.equals("bcsstk13.mtx")) {
            assertNull(m.firstDifference(m.transpose()), "symmetric storage expands to a symmetric matrix");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"karate.mtx", "west0067.mtx", "bcsstk13.mtx", "cryg2500.mtx"})
    void everyAlgorithmSquaresTheMatrixExactly(String name) {
        // integer values from the position: 1 .. 9, so every sum is an exact integer in a double
        Csr a = load(name).withValues((i, j) -> 1 + (i * 7 + j * 3) % 9);
        Csr want = ReferenceSpgemm.multiply(a, a);
        for (Algorithm alg : Algorithm.values()) {
            SpgemmRun run = alg.start(a, a, PiumaConfig.defaults(), true);
            Untimed.run(run);
            assertNull(want.firstDifference(run.product()), name + " " + alg.cliName());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"karate.mtx", "west0067.mtx", "bcsstk13.mtx", "cryg2500.mtx"})
    void innerWorkCountsTheInnerProductsLoadsExactly(String name) {
        Csr a = load(name);
        InnerWork w = InnerWork.of(a, a);
        long[] got = InnerWorkTest.drain(a, a, PiumaConfig.defaults());
        long aLoads = 0;
        for (int i = 0; i < a.rows(); i++) {
            aLoads += w.aLoads(i);
        }
        assertEquals(got[0], w.totalLoads(), name);
        assertEquals(got[1], aLoads, name);
    }
}
