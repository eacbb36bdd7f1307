package dev.sieve.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.Pass;
import dev.sieve.driver.Counters;
import dev.sieve.driver.SatDevice;
import dev.sieve.driver.data.Dataset;
import org.junit.jupiter.api.Test;

/**
 * The cycles the SAT device counts for the GEMMs one training step launches are the array cycles the
 * SAT model gives for the same network, batch and pattern (forward, data gradient except layer 1,
 * weight gradient for each layer), so the per-epoch figures are the cycle model's.
 */
class ModelledCyclesTest {
    @Test
    void oneStepsLaunchedCyclesEqualTheSatModelsArrayCycles() {
        int batch = 8;
        byte[] px = new byte[batch * 784];
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 10;
            px[i * 784 + i] = (byte) 200;
        }
        Dataset d = new Dataset(batch, 28, 28, px, labels);
        try (SatDevice sat = new SatDevice(SatDevice.defaultConfig(), 1)) {
            Trainer t = new Trainer(new Trainer.Options("cnn", new NmPattern(2, 8), BackwardMaskSource.DENSE, 1, batch, 3,
                    0.05f, 0.9f, 5e-4f, 2e-4f), sat, d, d);
            Trainer.Epoch e = t.runEpoch(null);
            Counters c = sat.counters();
            assertEquals(t.modelArrayCycles(batch), c.arrayCycles());
            assertEquals(4 + 3 + 4, c.launches(), "4 forward, 3 data-gradient, 4 weight-gradient GEMMs");
            assertEquals(4, c.pregens());
            assertTrue(c.cycles(Pass.FORWARD) < c.denseCycles(Pass.FORWARD), "2:8 forward is cheaper than dense");
            assertEquals(c.cycles(Pass.WEIGHT_GRADIENT), c.denseCycles(Pass.WEIGHT_GRADIENT), "weight gradient stays dense");
            assertTrue(e.speedup() > 1.0 && e.speedup() <= new NmPattern(2, 8).idealTrainingSpeedup(), "speedup " + e.speedup());
            // the per-layer breakdown adds up to what the device counted, N:M and dense
            java.util.List<Trainer.LayerCycles> layers = t.layerCycles(batch);
            assertEquals(java.util.List.of("conv1", "conv2", "fc1", "fc2"),
                    layers.stream().map(Trainer.LayerCycles::layer).toList());
            assertEquals(c.arrayCycles(), layers.stream().mapToLong(Trainer.LayerCycles::cycles).sum());
            assertEquals(c.denseArrayCycles(), layers.stream().mapToLong(Trainer.LayerCycles::denseCycles).sum());
            // the layers the policy keeps dense cost the same; the N:M ones gain
            assertEquals(layers.get(0).denseCycles(), layers.get(0).cycles(), "conv1 is dense by policy");
            assertEquals(layers.get(3).denseCycles(), layers.get(3).cycles(), "fc2 is dense by policy");
            assertTrue(layers.get(1).speedup() > 1 && layers.get(2).speedup() > 1, layers.toString());
            String line = TrainCommand.layerLine(layers, new NmPattern(2, 8));
            assertTrue(line.matches("train: array cycles/step by layer \\(N:M/dense\\): conv1 \\d+/\\d+ 1\\.00x dense;"
                    + " conv2 .* N:M layers together \\d+\\.\\d\\dx \\(ideal 2\\.00x\\)"), line);
        }
    }
}
