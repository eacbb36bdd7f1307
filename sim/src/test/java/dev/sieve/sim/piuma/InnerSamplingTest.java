package dev.sieve.sim.piuma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.piuma.Algorithm;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.dataflow.sparse.MatrixMarket;
import dev.sieve.dataflow.sparse.Rmat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sampled inner baseline's bracket ({@link SpgemmSimulation}) against whole runs: the whole run's
 * cycles must lie between the bracket's ends, so the
 * reported error (half the bracket) covers the midpoint's distance from the whole run.
 */
class InnerSamplingTest {

    @Test
    void theScaledCacheKeepsItsWaysAndRoundsItsSetsDown() {
        PiumaConfig cfg = PiumaConfig.defaults(); // 192 KiB of 8-byte lines: 8192 sets x 3 ways
        assertEquals(96L << 10, SpgemmSimulation.scaledCache(cfg, 0.5).cacheBytesPerCore());
        assertEquals(48L << 10, SpgemmSimulation.scaledCache(cfg, 0.49).cacheBytesPerCore(), "4014 sets -> 2048");
        assertEquals(3 * 8, SpgemmSimulation.scaledCache(cfg, 1e-9).cacheBytesPerCore(), "at least one set");
        assertEquals(cfg, SpgemmSimulation.scaledCache(cfg, 1.0));
        PiumaConfig none = cfg.withCacheBytesPerCore(0);
        assertEquals(none, SpgemmSimulation.scaledCache(none, 0.5));
    }

    @Test
    void aWholeRunReportsNoErrorAndASampledOuterRunAnUnknownOne() {
        PiumaConfig cfg = PiumaConfig.defaults();
        Csr a = Rmat.generate(7, 8, 1);
        var whole = SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, 0, false, 2);
        assertEquals(0.0, whole.errorPct());
        assertEquals(whole.cycles(), whole.cyclesLow());
        assertEquals(whole.cycles(), whole.cyclesHigh());
        // below the sampling minimum, any budget runs the inner product whole
        assertEquals(whole.cycles(), SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, 10, false, 2).cycles());
        var outer = SpgemmSimulation.run(Algorithm.OUTER, a, a, cfg, Algorithm.OUTER.estimateOps(a, a) / 3, false);
        assertTrue(outer.sampled());
        assertTrue(Double.isNaN(outer.errorPct()));
    }

    /** R-MAT graphs in the suite (scale 10: B fits in the cache; 11: it does not). */
    @ParameterizedTest(name = "R-MAT {0} at fraction {1}")
    @CsvSource({"10, 0.25", "11, 0.25", "11, 0.125"})
    void theWholeRunLiesInTheBracketOnRmat(int scale, double fraction) {
        Csr a = Rmat.generate(scale, 16, 1);
        assertBracketed("rmat" + scale, a, fraction);
    }

    /** R-MAT 12 (268 M operations whole) and the shared SuiteSparse matrices. */
    @Tag("validation")
    @ParameterizedTest(name = "{0} at fraction {1}")
    @CsvSource({"rmat12, 0.25", "rmat12, 0.125", "bcsstk13.mtx, 0.25", "bcsstk13.mtx, 0.125", "cryg2500.mtx, 0.25",
            "cryg2500.mtx, 0.125"})
    void theWholeRunLiesInTheBracketOnTheValidationInputs(String name, double fraction) {
        Csr a = name.startsWith("rmat") ? Rmat.generate(Integer.parseInt(name.substring(4)), 16, 1) : shared(name);
        assertBracketed(name, a, fraction);
    }

    /** The two small shared matrices run whole whatever the budget (below the sampling minimum). */
    @Tag("validation")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"west0067.mtx", "karate.mtx"})
    void theSmallSharedMatricesRunWhole(String name) {
        Csr a = shared(name);
        assertTrue(Algorithm.INNER.estimateOps(a, a) <= SpgemmSimulation.MIN_SAMPLED_INNER_OPS);
        PiumaConfig cfg = PiumaConfig.defaults();
        var s = SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, 100, false, 2);
        assertEquals(1.0, s.sampledFraction());
        assertEquals(0.0, s.errorPct());
        assertEquals(whole(name, a, cfg), s.cycles());
    }

    private static Csr shared(String name) {
        String dir = System.getProperty("sieve.shared.dir");
        Path base = dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of("").toAbsolutePath().getParent().resolve("../shared").normalize();
        Path m = base.resolve("data/matrices").resolve(name);
        assertTrue(Files.exists(m), "missing " + m + " (set -Dsieve.shared.dir)");
        return MatrixMarket.read(m).toCsr();
    }

    /** Whole runs, once per input (several fractions compare against each). */
    private static final Map<String, Long> WHOLE = new ConcurrentHashMap<>();

    private static long whole(String name, Csr a, PiumaConfig cfg) {
        return WHOLE.computeIfAbsent(name, k -> SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, 0, false, 2).cycles());
    }

    /**
     * Samples {@code fraction} (a power of two) of B's columns: the budget is twice that share of the
     * estimate (two simulations), and a little more, which must not raise the fraction.
     */
    private static void assertBracketed(String name, Csr a, double fraction) {
        PiumaConfig cfg = PiumaConfig.defaults();
        long w = whole(name, a, cfg);
        double budget = 2 * fraction * Algorithm.INNER.estimateOps(a, a) * 1.5;
        var s = SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, budget, false, 2);
        assertTrue(s.sampled(), name);
        assertEquals(fraction, s.sampledFraction(), 1e-9, name);
        String what = String.format(Locale.ROOT, "%s: whole %d, bracket %d .. %d (%+.2f%% .. %+.2f%%), estimate %d"
                        + " (%+.2f%%) +- %.2f%%", name, w, s.cyclesLow(), s.cyclesHigh(), 100.0 * s.cyclesLow() / w - 100,
                100.0 * s.cyclesHigh() / w - 100, s.cycles(), 100.0 * s.cycles() / w - 100, s.errorPct());
        System.out.println("inner sampling: " + what);
        assertTrue(s.cyclesLow() >= InnerBound.cycles(a, a, cfg), "the low end is at least the exact floor: " + what);
        assertTrue(s.cyclesLow() <= w && w <= s.cyclesHigh(), what);
        assertTrue(Math.abs(s.cycles() - w) <= s.errorPct() / 100 * s.cycles() + 1, what);
    }
}
