package dev.sieve.cosim.spatten;

import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.Lockstep;
import dev.sieve.cosim.LockstepResult;
import dev.sieve.cosim.VerilatedModel;
import dev.sieve.cosim.Verilator;
import dev.sieve.hdl.spatten.TopKEngine;
import dev.sieve.hdl.spatten.model.TopKEngineModel;
import dev.sieve.hdl.spatten.model.TopKJobs;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated top-k engine runs in lockstep with {@link TopKEngineModel} and agrees on every
 * output bit of every cycle, for P = 4, 8, 16 (one compile each, max n = 1024, 12-bit values),
 * n from 16 to 1024 and k from 1 to n chosen at run time, over random values with many ties, all
 * values equal, sorted runs and invalid arguments. Measured on the RTL itself: the mean
 * quick-select cycles for n = 1024, k = 128, P = 16 are within 10% of the paper's ~221.
 */
class TopKEngineCosimTest {

    private static final int MAX_N = 1024;
    private static final int WIDTH = 12;
    private static final ConcurrentHashMap<Integer, CompiledDesign> DESIGNS = new ConcurrentHashMap<>();

    private static CompiledDesign design(SpAttenConfig.TopK cfg) {
        return DESIGNS.computeIfAbsent(cfg.comparators(), p -> Verilator.compile(new TopKEngine(cfg).build()));
    }

    private static int[] values(SplittableRandom r, int n, int kind) {
        return switch (kind) {
            case 0 -> IntStream.range(0, n).map(i -> r.nextInt(4)).toArray();          // heavy ties
            case 1 -> IntStream.range(0, n).map(i -> r.nextInt(1 << WIDTH)).toArray(); // full range
            case 2 -> IntStream.range(0, n).map(i -> 7).toArray();                     // all equal
            case 3 -> IntStream.range(0, n).map(i -> i / 3 % (1 << WIDTH)).toArray();  // ascending with ties
            default -> IntStream.range(0, n).map(i -> (n - i) % (1 << WIDTH)).toArray();   // descending
        };
    }

    private static TopKJobs jobs(SpAttenConfig.TopK cfg, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TopKJobs jobs = new TopKJobs(cfg);
        int[] sizes = {16, 17, 100, 255, 256, 513, 1000, 1024};
        int t = 0;
        for (int pass = 0; pass < 3; pass++) {
            for (int n : sizes) {
                for (int k : new int[] {1, Math.max(1, n / 8), n / 2, n, 1 + r.nextInt(n)}) {
                    jobs.add(new TopKJobs.Job(values(r, n, t++ % 5), k));
                }
                int m = 16 + r.nextInt(MAX_N - 15); // a random size too
                jobs.add(new TopKJobs.Job(values(r, m, t++ % 5), 1 + r.nextInt(m)));
            }
        }
        jobs.add(new TopKJobs.Job(values(r, 40, 1), 41)); // k > n
        jobs.add(new TopKJobs.Job(values(r, 40, 1), 0));  // k = 0
        jobs.add(new TopKJobs.Job(values(r, 33, 0), 5));  // valid again after errors
        return jobs;
    }

    private static Lockstep drive(Lockstep run, TopKJobs jobs, SpAttenConfig.TopK cfg) {
        run.cycles(jobs.cycles()).drive("load_valid", jobs::loadValid).drive("start", jobs::start)
                .drive("n", jobs::n).drive("k", jobs::k);
        if (cfg.comparators() * cfg.width() <= 64) {
            run.drive("load_data", c -> jobs.loadData(c).longValue());
        } else {
            run.driveWide("load_data", jobs::loadData);
        }
        return run;
    }

    @ParameterizedTest(name = "P = {0}")
    @ValueSource(ints = {4, 8, 16})
    void rtlMatchesModelOnEveryCycle(int p) {
        SpAttenConfig.TopK cfg = new SpAttenConfig.TopK(p, MAX_N, WIDTH);
        TopKJobs jobs = jobs(cfg, p);
        LockstepResult r = drive(Lockstep.of(design(cfg), new TopKEngineModel(cfg)), jobs, cfg).check();
        System.out.printf(Locale.ROOT, "cosim: topk P=%d matched its model on %d cycles, %d selections%n", p,
                r.cycles(), jobs.slots().size());
    }

    @Test
    void rtlMatchesModelWithResetsMidSelection() {
        SpAttenConfig.TopK cfg = new SpAttenConfig.TopK(8, MAX_N, WIDTH);
        TopKJobs jobs = jobs(cfg, 99);
        drive(Lockstep.of(design(cfg), new TopKEngineModel(cfg)), jobs, cfg)
                .drive("rst", c -> c % 2_711 == 2_710 ? 1 : 0).check();
    }

    @Test
    void rtlMeanQuickSelectCyclesForN1024K128P16AreNear221() {
        SpAttenConfig.TopK cfg = new SpAttenConfig.TopK(16, MAX_N, WIDTH);
        SplittableRandom r = new SplittableRandom(221);
        int runs = 300;
        long selectSum = 0;
        try (VerilatedModel rtl = design(cfg).newModel()) {
            rtl.reset(2);
            for (int t = 0; t < runs; t++) {
                int[] v = values(r, 1024, 1);
                for (int row = 0; row < 64; row++) {
                    BigInteger word = BigInteger.ZERO;
                    for (int l = 15; l >= 0; l--) {
                        word = word.shiftLeft(WIDTH).or(BigInteger.valueOf(v[row * 16 + l]));
                    }
                    rtl.poke("load_valid", 1);
                    rtl.poke("load_data", word);
                    rtl.step();
                }
                rtl.poke("load_valid", 0);
                rtl.poke("start", 1);
                rtl.poke("n", 1024);
                rtl.poke("k", 128);
                rtl.step();
                rtl.poke("start", 0);
                long cycles = 1;
                boolean[] keep = new boolean[1024];
                while (rtl.peekLong("done") == 0) {
                    rtl.step();
                    cycles++;
                    if (rtl.peekLong("out_valid") == 1) {
                        long mask = rtl.peekLong("out_mask");
                        int row = (int) rtl.peekLong("out_row");
                        for (int l = 0; l < 16; l++) {
                            keep[row * 16 + l] = (mask >> l & 1) == 1;
                        }
                    }
                    assertTrue(cycles < 20_000, "engine never finished");
                }
                rtl.step(); // DONE -> IDLE
                assertTrue(Arrays.equals(reference(v, 128), keep), "run " + t);
                selectSum += cycles - 64; // the output pass streams ceil(1024/16) = 64 rows
            }
        }
        double mean = (double) selectSum / runs;
        System.out.printf(Locale.ROOT, "cosim: topk P=16 n=1024 k=128 mean quick-select cycles %.1f (paper ~221), "
                + "+64 output rows%n", mean);
        assertEquals(221, mean, 22.1);
    }

    static boolean[] reference(int[] v, int k) {
        Integer[] idx = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, Comparator.<Integer>comparingInt(i -> -v[i]).thenComparingInt(i -> i));
        boolean[] keep = new boolean[v.length];
        for (int i = 0; i < k; i++) {
            keep[idx[i]] = true;
        }
        return keep;
    }
}
