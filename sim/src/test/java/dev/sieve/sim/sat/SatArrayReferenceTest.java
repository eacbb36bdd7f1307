package dev.sieve.sim.sat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.NmAxis;
import dev.sieve.dataflow.sat.NmCompressor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The closed-form step timing against the register-level reference: for arrays from 2x2 to 8x8,
 * dense and N:M patterns, every segment count, partial-sum latencies D from 1 to 12 (INT8's 1, BF16's
 * L x fpAddStages), every output is the masked matrix product and is
 * captured exactly at {@link TileTiming#outputCaptureCycle}, and the step lasts {@link TileTiming#computeCycles}.
 */
class SatArrayReferenceTest {

    private static final String[] PATTERNS = {"dense", "1:4", "2:4", "2:8"};

    @Property(tries = 150)
    void closedFormMatchesTheRegisterLevelReference(@ForAll @IntRange(min = 1, max = 3) int rowsLog,
                                                     @ForAll @IntRange(min = 2, max = 8) int cols,
                                                     @ForAll @IntRange(min = 0, max = 3) int patternIndex,
                                                     @ForAll @IntRange(min = 0, max = 3) int segLog,
                                                     @ForAll @IntRange(min = 1, max = 12) int vectors,
                                                     @ForAll @IntRange(min = 1, max = 12) int psumLatency,
                                                     @ForAll long seed) {
        int rows = 1 << rowsLog;
        int segments = 1 << Math.min(segLog, rowsLog);
        int l = 4;
        NmPattern pattern = NmPattern.parse(PATTERNS[patternIndex]);
        int rs = rows / segments;
        int kpp = TileTiming.kPerPe(l, pattern.n(), pattern.m(), pattern.isDense());
        int kt = rs * kpp;
        Random rnd = new Random(seed);
        int[][][] w = new int[segments][cols][kt];
        int[][][] x = new int[segments][kt][vectors];
        for (int s = 0; s < segments; s++) {
            for (int c = 0; c < cols; c++) {
                for (int k = 0; k < kt; k++) {
                    w[s][c][k] = rnd.nextInt(9) == 0 ? 0 : rnd.nextInt(256) - 128; // ties and zeros too
                }
            }
            for (int k = 0; k < kt; k++) {
                for (int p = 0; p < vectors; p++) {
                    x[s][k][p] = rnd.nextInt(256) - 128;
                }
            }
        }
        SatArrayReference.Step step = SatArrayReference.run(rows, cols, l, pattern, segments, psumLatency, w, x);
        assertEquals(TileTiming.computeCycles(vectors, rs, cols, psumLatency), step.cycles());
        for (int s = 0; s < segments; s++) {
            float[][] wf = new float[cols][kt];
            for (int c = 0; c < cols; c++) {
                for (int k = 0; k < kt; k++) {
                    wf[c][k] = w[s][c][k];
                }
            }
            // the N:M PE prunes per PE chunk of kPerPe positions; kPerPe is a multiple of M, so the groups agree
            float[][] masked = pattern.isDense() ? wf : NmCompressor.mask(wf, pattern, NmAxis.INPUT_CHANNELS);
            for (int c = 0; c < cols; c++) {
                for (int p = 0; p < vectors; p++) {
                    int expected = 0;
                    for (int k = 0; k < kt; k++) {
                        expected += (int) masked[c][k] * x[s][k][p];
                    }
                    assertEquals(expected, step.outputs()[s][c][p], "segment " + s + " column " + c + " vector " + p);
                    assertEquals(TileTiming.outputCaptureCycle(p, rs, c, psumLatency), step.captureCycle()[s][c][p]);
                }
            }
        }
    }
}
