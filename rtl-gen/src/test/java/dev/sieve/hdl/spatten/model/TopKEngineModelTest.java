package dev.sieve.hdl.spatten.model;

import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.hdl.spatten.TopKEngine;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The top-k engine's model returns the k largest values in original index order, ties broken by
 * lower index (checked against a sort-based reference written here), with the cycle cost the
 * SpAtten paper gives: ceil(m/16) + 3 per quick-select round, about 221 cycles for n = 1024, k = 128.
 */
class TopKEngineModelTest {

    /** An engine of {@code p} comparators on 12-bit values (select does not hold n to maxN). */
    private static SpAttenConfig.TopK engine(int p) {
        return new SpAttenConfig.TopK(p, 1024, 12);
    }

    /** Reference: sort indices by (value descending, index ascending), keep the first k. */
    static boolean[] reference(int[] v, int k) {
        Integer[] idx = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, Comparator.<Integer>comparingInt(i -> -v[i]).thenComparingInt(i -> i));
        boolean[] keep = new boolean[v.length];
        for (int i = 0; i < k; i++) {
            keep[idx[i]] = true;
        }
        return keep;
    }

    static int[] values(SplittableRandom r, int n, int range) {
        return IntStream.range(0, n).map(i -> r.nextInt(range)).toArray();
    }

    @Test
    void selectKeepsTheKLargestTiesToLowerIndices() {
        SplittableRandom r = new SplittableRandom(7);
        int lfsr = TopKEngine.LFSR_SEED;
        for (int t = 0; t < 3000; t++) {
            int n = 1 + r.nextInt(300);
            int[] v = values(r, n, new int[] {1, 2, 5, 4096}[t % 4]);
            int k = 1 + r.nextInt(n);
            TopKEngineModel.Selection s = TopKEngineModel.select(v, k, engine(16), lfsr);
            lfsr = s.nextLfsr();
            assertArrayEquals(reference(v, k), s.keep(), "n=" + n + " k=" + k);
        }
    }

    @Test
    void equalValuesKeepTheFirstK() {
        TopKEngineModel.Selection s = TopKEngineModel.select(new int[] {5, 5, 5, 5, 5}, 2, engine(4), TopKEngine.LFSR_SEED);
        assertArrayEquals(new boolean[] {true, true, false, false, false}, s.keep());
        assertEquals(5, s.threshold());
        assertEquals(1, s.rounds(), "one round: the pivot equals every value");
        assertEquals(1 + (2 + 3), s.selectCycles(), "start cycle + ceil(5/4) + 3");
    }

    @Test
    void meanSelectionCyclesForN1024K128P16AreWithinTenPercentOf221() {
        // SpAtten (HPCA 2021): ceil(n/16) + 3 cycles per quick-select round, about 221 on average
        SplittableRandom r = new SplittableRandom(2021);
        int lfsr = TopKEngine.LFSR_SEED;
        long sum = 0;
        int runs = 2000;
        for (int t = 0; t < runs; t++) {
            TopKEngineModel.Selection s = TopKEngineModel.select(values(r, 1024, 4096), 128, engine(16), lfsr);
            lfsr = s.nextLfsr();
            sum += s.selectCycles();
            assertEquals(64, s.outputCycles());
        }
        double mean = (double) sum / runs;
        assertTrue(Math.abs(mean - 221) <= 22.1, "mean " + mean);
    }

    @ParameterizedTest(name = "P={0} n={1} k={2}")
    @CsvSource({"4, 16, 3", "8, 100, 100", "16, 1024, 128", "16, 37, 1"})
    void cycleModelMatchesSelectAndTheReference(int p, int n, int k) {
        SpAttenConfig.TopK cfg = new SpAttenConfig.TopK(p, 1024, 12);
        SplittableRandom r = new SplittableRandom(n * 31L + k);
        TopKJobs jobs = new TopKJobs(cfg);
        for (int t = 0; t < 4; t++) {
            jobs.add(new TopKJobs.Job(values(r, n, t % 2 == 0 ? 3 : 4096), k));
        }
        jobs.add(new TopKJobs.Job(values(r, n, 10), n + 1)); // k > n: err
        TopKEngineModel model = new TopKEngineModel(cfg);
        boolean[][] got = new boolean[jobs.slots().size()][];
        for (int i = 0; i < got.length; i++) {
            got[i] = new boolean[jobs.slots().get(i).job().values().length];
        }
        int job = 0;
        for (long c = 0; c < jobs.cycles(); c++) {
            model.setInput("load_valid", jobs.loadValid(c));
            model.setInput("load_data", jobs.loadData(c));
            model.setInput("start", jobs.start(c));
            model.setInput("n", jobs.n(c));
            model.setInput("k", jobs.k(c));
            model.tick();
            if (model.output("out_valid") == 1) {
                long row = model.output("out_row");
                long mask = model.output("out_mask");
                for (int l = 0; l < p; l++) {
                    int i = (int) row * p + l;
                    if (i < got[job].length) {
                        got[job][i] = (mask >> l & 1) == 1;
                    }
                }
            }
            if (model.output("done") == 1) {
                TopKJobs.Slot s = jobs.slots().get(job);
                assertEquals(s.doneCycle(), c, "done on the predicted cycle, job " + job);
                if (s.expected() != null) {
                    assertEquals(0, model.output("err"));
                    assertArrayEquals(reference(s.job().values(), s.job().k()), got[job]);
                    assertEquals(s.expected().threshold(), model.output("threshold"));
                    assertEquals(s.expected().rounds(), model.output("rounds"));
                } else {
                    assertEquals(1, model.output("err"));
                }
                job++;
            }
        }
        assertEquals(jobs.slots().size(), job);
        assertEquals(BigInteger.ZERO, BigInteger.ZERO);
    }
}
