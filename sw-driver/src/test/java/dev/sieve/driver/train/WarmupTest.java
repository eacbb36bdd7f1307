package dev.sieve.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.driver.SatDevice;
import dev.sieve.driver.data.Dataset;
import dev.sieve.driver.nn.Act;
import dev.sieve.driver.nn.Models;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The learning-rate warm-up: its schedule, and the case it exists for. widecnn, dense, seed 3, at the
 * default rate (0.05, momentum 0.9) without warm-up: the first step's gradient norm is about 23, the
 * second step's loss jumps from 2.83 to above 30 and the ReLUs die (that run ended its first epoch at
 * 10 % test accuracy). With the default warm-up the first steps' losses stay near ln 10 = 2.30.
 */
class WarmupTest {

    /** The batch losses of the first {@code steps} steps of a one-epoch widecnn run (938 steps of 64). */
    private static double[] firstLosses(int warmup, int steps) {
        Dataset train = Dataset.load(Dataset.DEFAULT_DIR, "train");
        try (SatDevice sat = new SatDevice(SatDevice.defaultConfig(), 2)) {
            Trainer t = new Trainer(new Trainer.Options("widecnn", NmPattern.DENSE, BackwardMaskSource.DENSE, 1, 64, 3,
                    0.05f, 0.9f, 5e-4f, 0f, false, warmup), sat, train, train);
            int[] order = t.order(0);
            float[] xb = new float[64 * 784];
            int[] yb = new int[64];
            double[] losses = new double[steps];
            for (int s = 0; s < steps; s++) {
                train.batch(order, s * 64, 64, xb, yb);
                losses[s] = t.step(new Act(xb, 1, 64, 28, 28), yb, s).loss();
            }
            return losses;
        }
    }

    @Test
    void widecnnSeed3ExplodesWithoutWarmupAndNotWithTheDefault() {
        double[] none = firstLosses(0, 2);
        assertTrue(none[1] > 10, "without warm-up the second step's loss explodes: " + Arrays.toString(none));
        double[] warm = firstLosses(Models.defaultWarmupSteps("widecnn"), 4);
        assertEquals(none[0], warm[0], "the first forward pass is the same network");
        for (double l : warm) {
            assertTrue(l < 3.0, "with the default warm-up the first losses stay near ln 10: " + Arrays.toString(warm));
        }
    }

    @Test
    void theScheduleIsTheCosineTimesALinearRamp() {
        long total = 938;
        for (long t : new long[] {0, 1, 49, 99, 100, 500, 937}) {
            float cosine = (float) (0.05f * 0.5 * (1 + Math.cos(Math.PI * t / total)));
            // no warm-up: exactly the cosine the runs before the option used
            assertEquals(cosine, Trainer.scheduledRate(0.05f, t, total, 0));
            float ramp = Trainer.scheduledRate(0.05f, t, total, 100);
            if (t < 100) {
                assertEquals(cosine * (t + 1) / 100.0, ramp, 1e-8, "step " + t);
            } else {
                assertEquals(cosine, ramp, "step " + t + " is past the warm-up");
            }
        }
        assertEquals(0, Models.defaultWarmupSteps("cnn"));
        assertEquals(0, Models.defaultWarmupSteps("mlp"));
    }
}
