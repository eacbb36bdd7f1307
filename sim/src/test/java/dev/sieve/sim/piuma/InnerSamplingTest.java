package dev.sieve.sim.piuma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.piuma.Algorithm;
import dev.sieve.dataflow.piuma.InnerWork;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.dataflow.sparse.MatrixMarket;
import dev.sieve.dataflow.sparse.Rmat;
import dev.sieve.sim.SharedData;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sampled inner and outer baselines ({@link SpgemmSimulation}, replicated samples) against whole
 * runs: the whole run's cycles must lie in the reported range, so the reported error covers the
 * estimate's distance from the whole run; where measured so, the estimate is within 2 % as well.
 */
class InnerSamplingTest {

    @Test
    void theSystematicSampleKeepsEveryKthColumnByLengthAndItsHalfIsNested() {
        Csr b = Rmat.generate(8, 8, 3);
        int[] len = new int[b.cols()];
        for (int c : b.colIdx()) {
            len[c]++;
        }
        int nonEmpty = 0;
        for (int x : len) {
            nonEmpty += x > 0 ? 1 : 0;
        }
        var r0 = SpgemmSimulation.systematic(b, 4, 0);
        var r1 = SpgemmSimulation.systematic(b, 4, 1);
        var half = SpgemmSimulation.systematic(b, 8, 0);
        int n0 = 0;
        int longest = 0;
        for (int j = 0; j < b.cols(); j++) {
            longest = len[j] > len[longest] ? j : longest;
            if (r0.test(j)) {
                n0++;
                assertTrue(len[j] > 0, "only non-empty columns");
                assertTrue(!r1.test(j), "replicates are disjoint");
            }
            if (half.test(j)) {
                assertTrue(r0.test(j), "the half sample lies in replicate 0");
            }
        }
        assertEquals((nonEmpty + 3) / 4, n0, "every fourth non-empty column");
        assertTrue(r0.test(longest), "the longest column comes first (ties by index)");
    }

    @Test
    void theReplicatesAreDisjointAndTheHalfLiesInReplicateZero() {
        Csr b = Rmat.generate(9, 8, 3);
        for (int k = 2; k <= 64; k *= 2) {
            var r0 = SpgemmSimulation.systematic(b, k, SpgemmSimulation.innerOffset(k, 0));
            var r1 = SpgemmSimulation.systematic(b, k, SpgemmSimulation.innerOffset(k, 1));
            var half = SpgemmSimulation.systematic(b, 2 * k, SpgemmSimulation.innerOffset(k, 0));
            int n1 = 0;
            for (int j = 0; j < b.cols(); j++) {
                assertTrue(!(r0.test(j) && r1.test(j)), "k " + k + ": replicates disjoint");
                assertTrue(!half.test(j) || r0.test(j), "k " + k + ": the half lies in replicate 0");
                n1 += r1.test(j) ? 1 : 0;
            }
            assertTrue(n1 > 0, "k " + k + ": replicate 1 is not empty");
        }
    }

    /**
     * At R-MAT 16 the default baseline budget (2e8 operations) chooses 1/1024 of B's columns, and the
     * three samples' loads, counted exactly, fit it (2.5 x 1/1024 of 6.25e10 loads is 1.53e8; the
     * stores add under 1 %). Started at the longest column instead, the same three samples would issue
     * more than twice the budget: the reason the samples start inside the first stratum. No simulation.
     */
    @Test
    void rmat16sInnerSamplesFitTheDefaultBudget() {
        Csr a = Rmat.generate(16, 16, 1);
        double budget = 2e8;
        double f = SpgemmSimulation.innerFraction(a, a, budget, Algorithm.INNER.estimateOps(a, a));
        assertEquals(1.0 / 1024, f, 0.0);
        long loads = SpgemmSimulation.sampleLoads(a, a, 1024);
        assertTrue(loads <= budget && loads > 0.8 * 2.5 / 1024 * InnerWork.of(a, a).totalLoads(), "loads " + loads);
        assertTrue(SpgemmSimulation.sampleLoads(a, a, 512) > budget, "twice the fraction does not fit");
        Csr bt = a.transpose();
        long fromLongest = 0;
        for (int[] s : new int[][] {{1024, 0}, {1024, 1}, {2048, 0}}) {
            fromLongest += InnerWork.of(a, bt.keepRows(SpgemmSimulation.systematic(a, s[0], s[1])).transpose())
                    .totalLoads();
        }
        assertTrue(fromLongest > 2 * budget, "from the longest column: " + fromLongest);
    }

    /** A budget below every sample takes the smallest one whose two replicates both keep a column. */
    @Test
    void aTinyBudgetTakesTheSmallestSampleWithTwoReplicates() {
        Csr a = Rmat.generate(9, 8, 1);
        double f = SpgemmSimulation.innerFraction(a, a, 1, Algorithm.INNER.estimateOps(a, a));
        int k = (int) Math.round(1 / f);
        assertTrue(keepsAColumn(a, k), "1/" + k);
        assertTrue(!keepsAColumn(a, 2 * k), "1/" + 2 * k + " would leave replicate 1 empty");
    }

    private static boolean keepsAColumn(Csr b, int k) {
        var r1 = SpgemmSimulation.systematic(b, k, SpgemmSimulation.innerOffset(k, 1));
        for (int j = 0; j < b.cols(); j++) {
            if (r1.test(j)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theSampleLayoutChangesOnlyAddresses() {
        PiumaConfig cfg = PiumaConfig.defaults();
        Csr a = Rmat.generate(8, 8, 2);
        // every column kept at stride 1 is the whole run, statistic for statistic
        PiumaStats whole = new PiumaModel(cfg).run(Algorithm.INNER.start(a, a, cfg, false), 2);
        PiumaStats same = new PiumaModel(cfg).run(Algorithm.startInnerColumnSample(a, a, j -> true, 1, cfg), 2);
        assertEquals(whole.cycles(), same.cycles());
        assertEquals(whole.cacheHits(), same.cacheHits());
        // B laid out 4 lines apart: the same operations as the plain sample, only B's addresses move
        var kept = SpgemmSimulation.systematic(a, 4, 0);
        Csr sb = a.transpose().keepRows(kept).transpose();
        PiumaStats plain = new PiumaModel(cfg).run(Algorithm.INNER.start(a, sb, cfg, false), 2);
        PiumaStats spread = new PiumaModel(cfg).run(Algorithm.startInnerColumnSample(a, a, kept, 4, cfg), 2);
        assertEquals(plain.ops(), spread.ops());
        assertEquals(plain.issueSlots(), spread.issueSlots());
        assertEquals(plain.cacheHits() + plain.cacheMisses(), spread.cacheHits() + spread.cacheMisses());
    }

    @Test
    void aWholeRunReportsNoErrorAndASampledSmashRunAnUnknownOne() {
        PiumaConfig cfg = PiumaConfig.defaults();
        Csr a = Rmat.generate(7, 8, 1);
        var whole = SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, 0, false, 2);
        assertEquals(0.0, whole.errorPct());
        assertEquals(whole.cycles(), whole.cyclesLow());
        assertEquals(whole.cycles(), whole.cyclesHigh());
        // below the sampling minimum, any budget runs the inner product whole
        assertEquals(whole.cycles(), SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, 10, false, 2).cycles());
        var v3 = SpgemmSimulation.run(Algorithm.SMASH_V3, a, a, cfg, Algorithm.SMASH_V3.estimateOps(a, a) / 3, false);
        assertTrue(v3.sampled());
        assertTrue(Double.isNaN(v3.errorPct()));
    }

    /**
     * The inner baseline as {@code piuma} runs it by default ({@code --baseline-max-ops 2e8}) against the
     * whole run, on R-MAT 10 and 11 (whose exact loads, 17.3 M and 67.5 M, fit the default budget: they
     * run whole) and, so that the suite exercises the core-by-core estimate (a pilot, then whole cores),
     * at budgets of a half and a quarter of their exact loads ({@code budget <= 1}: that fraction of the
     * loads): the estimate within 2 % and the whole run inside the reported range.
     */
    @ParameterizedTest(name = "R-MAT {0} at budget {1}")
    @CsvSource({"10, 2e8", "11, 2e8", "10, 0.5", "11, 0.5", "11, 0.25"})
    void theBudgetsEstimateIsWithin2PercentOnRmat(int scale, double budget) {
        Csr a = Rmat.generate(scale, 16, 1);
        assertWithin2("rmat" + scale, a, budget <= 1 ? budget * InnerWork.of(a, a).totalLoads() : budget,
                budget <= 1);
    }

    /**
     * The same at the default budget on R-MAT 12 (265.8 M exact loads: a pilot at 1/16 and five whole
     * cores) and the shared matrices bcsstk13 and cryg2500 (193.5 M and 46.6 M exact loads: they fit
     * the budget and run whole, where the estimated operations had sampled them).
     */
    @Tag("validation")
    @ParameterizedTest(name = "{0}")
    @CsvSource({"rmat12, true", "bcsstk13.mtx, false", "cryg2500.mtx, false"})
    void theDefaultBudgetsEstimateIsWithin2PercentOnTheValidationInputs(String name, boolean sampled) {
        Csr a = name.startsWith("rmat") ? Rmat.generate(Integer.parseInt(name.substring(4)), 16, 1) : shared(name);
        assertWithin2(name, a, 2e8, sampled);
    }

    /**
     * A budget below one core's loads (its 7/8 after the pilot): the pilot's two slowest cores are each
     * column-sampled alone by replicates ({@code SpgemmSimulation.innerCoreSamples}, at 1/8 here). The
     * whole run must lie in the reported range and the budget must hold; how close the estimate comes is
     * measured, not asserted (README: R-MAT 14 at the default budget +5.7 %).
     */
    @ParameterizedTest(name = "R-MAT {0} at budget {1}")
    @CsvSource({"10, 2.5e6", "11, 9e6"})
    void aCoreAboveTheBudgetIsColumnSampledAlone(int scale, double budget) {
        Csr a = Rmat.generate(scale, 16, 1);
        PiumaConfig cfg = PiumaConfig.defaults();
        long[] loads = InnerWork.of(a, a).coreLoads(cfg.threads(), cfg.threadsPerCore());
        assertTrue(java.util.Arrays.stream(loads).max().getAsLong() > budget * (1 - SpgemmSimulation.PILOT_SHARE));
        long w = whole("rmat" + scale, a, cfg);
        var s = SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, budget, false, 2);
        String what = describe("rmat" + scale, budget, w, s);
        System.out.println("baseline by core samples: " + what);
        assertTrue(s.sampled(), what);
        assertTrue(s.opsSimulated() <= 1.02 * budget, what);
        assertTrue(s.cyclesLow() <= w && w <= s.cyclesHigh(), "the whole run in the range: " + what);
        assertTrue(s.cyclesLow() >= InnerBound.cycles(a, a, cfg), "at least the floor: " + what);
    }

    /** An inner estimate at a budget beside the whole run's cycles {@code w}, for messages. */
    private static String describe(String name, double budget, long w, SpgemmSimulation.Result s) {
        return String.format(Locale.ROOT, "inner %s at budget %.4g: whole %d, estimate %d (%+.2f%%) +- %.2f%%,"
                        + " range %d .. %d, fraction of loads %.4f, %d operations", name, budget, w, s.cycles(),
                100.0 * s.cycles() / w - 100, s.errorPct(), s.cyclesLow(), s.cyclesHigh(), s.sampledFraction(),
                s.opsSimulated());
    }

    private static void assertWithin2(String name, Csr a, double budget, boolean sampled) {
        PiumaConfig cfg = PiumaConfig.defaults();
        long w = whole(name, a, cfg);
        var s = SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, budget, false, 2);
        String what = describe(name, budget, w, s);
        System.out.println("baseline by cores: " + what);
        assertEquals(sampled, s.sampled(), what);
        // the budget holds: exact loads within it, plus one store per entry of C the simulated rows make
        assertTrue(s.opsSimulated() <= 1.02 * budget, what);
        assertTrue(s.cyclesLow() <= w && w <= s.cyclesHigh(), "the whole run in the range: " + what);
        assertTrue(s.cyclesLow() >= InnerBound.cycles(a, a, cfg), "at least the floor: " + what);
        assertTrue(Math.abs(s.cycles() - w) <= 0.02 * w, "within 2 %: " + what);
    }

    /**
     * R-MAT graphs in the suite (scale 10: B fits in the cache; 11: it does not). {@code within2}: the
     * estimate is also within 2 % of the whole run (measured; where it is not, only the reported
     * error must cover the distance — README lists every case).
     */
    @ParameterizedTest(name = "{0} on R-MAT {1} at fraction {2}")
    @CsvSource({"inner, 10, 0.25, true", "inner, 11, 0.25, false", "inner, 10, 0.125, false",
            "inner, 11, 0.125, false"})
    void theEstimateCoversTheWholeRunOnRmat(String alg, int scale, double fraction, boolean within2) {
        Csr a = Rmat.generate(scale, 16, 1);
        assertCovered(Algorithm.byName(alg), "rmat" + scale, a, fraction, within2, true);
    }

    /**
     * R-MAT 12 (268 M operations whole) and 13 (1.07 G) and the shared SuiteSparse matrices. R-MAT 12
     * at 1/4 and R-MAT 13 at 1/16 are the fractions {@link SpgemmSimulation#innerFraction} chooses for
     * them at 2e8 (the default budget estimates both core by core now; the replicated samples remain for
     * inputs with a core above the budget). R-MAT 12 at 1/8, whose three samples all lie 4-8 % below
     * the whole run (a bias of the sample's cache layout that the spread of the samples cannot show), is
     * covered only by {@link SpgemmSimulation#SHARED_BIAS}; {@code covered} false would hold a case
     * measured outside its range to twice the reported error.
     */
    @Tag("validation")
    @ParameterizedTest(name = "{0} on {1} at fraction {2}")
    @CsvSource({"inner, rmat12, 0.25, false, true", "inner, rmat12, 0.125, false, true",
            "inner, rmat13, 0.0625, false, true",
            "inner, bcsstk13.mtx, 0.25, false, true", "inner, bcsstk13.mtx, 0.125, true, true",
            "inner, cryg2500.mtx, 0.25, true, true", "inner, cryg2500.mtx, 0.125, true, true"})
    void theEstimateCoversTheWholeRunOnTheValidationInputs(String alg, String name, double fraction,
                                                          boolean within2, boolean covered) {
        Csr a = name.startsWith("rmat") ? Rmat.generate(Integer.parseInt(name.substring(4)), 16, 1) : shared(name);
        assertCovered(Algorithm.byName(alg), name, a, fraction, within2, covered);
    }

    /**
     * The high end of a chip sample's range covers how far the whole run lay above the estimate at the
     * small fractions measured (too slow for the suite: README "The inner baseline at R-MAT 15 and 16,
     * whole"): R-MAT 14 at 1/64, 774,466,517 whole against 630.8M estimated (+22.8 %); R-MAT 15 at
     * 1/256, 3,321,426,709 against 2,257,579,628 (+47.1 %); R-MAT 16 at 1/1024, 14,665,631,244 against
     * 7,848,235,306 (+86.9 %). Down to 1/16 the shared bias alone stays, so the
     * ranges measured there (tests above) are unchanged.
     */
    @Test
    void theHighEndCoversTheMeasuredShortfallAtSmallFractions() {
        assertTrue(SpgemmSimulation.shortfall(64) >= 774_466_517.0 / 630_800_000 - 1);
        assertTrue(SpgemmSimulation.shortfall(256) >= 3_321_426_709.0 / 2_257_579_628L - 1);
        assertTrue(SpgemmSimulation.shortfall(1024) >= 14_665_631_244.0 / 7_848_235_306L - 1);
        for (int k = 2; k <= 16; k *= 2) {
            assertEquals(SpgemmSimulation.SHARED_BIAS, SpgemmSimulation.shortfall(k), "1/" + k);
        }
        // and it never shrinks as the fraction does
        for (int k = 2; k < 1 << 20; k *= 2) {
            assertTrue(SpgemmSimulation.shortfall(2 * k) >= SpgemmSimulation.shortfall(k), "1/" + k);
        }
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
        return MatrixMarket.read(SharedData.matrix(name)).toCsr();
    }

    /** Whole runs, once per algorithm and input (several fractions compare against each). */
    private static final Map<String, Long> WHOLE = new ConcurrentHashMap<>();

    private static long whole(Algorithm alg, String name, Csr a, PiumaConfig cfg) {
        return WHOLE.computeIfAbsent(alg.cliName() + " " + name,
                k -> SpgemmSimulation.run(alg, a, a, cfg, 0, false, 2).cycles());
    }

    private static long whole(String name, Csr a, PiumaConfig cfg) {
        return whole(Algorithm.INNER, name, a, cfg);
    }

    /**
     * The replicated estimate at {@code fraction} (the fraction a budget chooses is tested above and
     * in {@code PiumaModelTest}). The whole run must lie in the reported range, so the error reported
     * covers the estimate's distance from it.
     */
    private static void assertCovered(Algorithm alg, String name, Csr a, double fraction, boolean within2,
                                      boolean covered) {
        PiumaConfig cfg = PiumaConfig.defaults();
        long w = whole(alg, name, a, cfg);
        var s = SpgemmSimulation.replicated(a, a, cfg, fraction, 2, null, System.nanoTime());
        assertTrue(s.sampled(), name);
        assertEquals(fraction, s.sampledFraction(), 1e-9, name);
        String what = String.format(Locale.ROOT, "%s %s at %s: whole %d, estimate %d (%+.2f%%) +- %.2f%%, range %d .. %d",
                alg.cliName(), name, fraction, w, s.cycles(), 100.0 * s.cycles() / w - 100, s.errorPct(),
                s.cyclesLow(), s.cyclesHigh());
        System.out.println("baseline sampling: " + what);
        if (alg == Algorithm.INNER) {
            assertTrue(s.cyclesLow() >= InnerBound.cycles(a, a, cfg), "the low end is at least the exact floor: " + what);
        }
        if (covered) {
            assertTrue(s.cyclesLow() <= w && w <= s.cyclesHigh(), what);
            assertTrue(Math.abs(s.cycles() - w) <= s.errorPct() / 100 * s.cycles() + 1, what);
        } else {
            assertTrue(Math.abs(s.cycles() - w) <= 2 * s.errorPct() / 100 * s.cycles(), "within twice the error: " + what);
        }
        if (within2) {
            assertTrue(Math.abs(s.cycles() - w) <= 0.02 * w, "within 2 %: " + what);
        }
    }
}
