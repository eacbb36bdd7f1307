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

    /**
     * SR-STE as published (--scheme srste): the forward pass runs N:M, the data gradient runs dense (on
     * the forward-pruned weights) and is charged as dense by the device, and the per-layer breakdown
     * adds up to what the device counted.
     */
    @Test
    void srsteChargesItsDataGradientsDense() {
        int batch = 8;
        Dataset d = tinyData(batch);
        try (SatDevice sat = new SatDevice(SatDevice.defaultConfig(), 1)) {
            Trainer t = new Trainer(new Trainer.Options("cnn", new NmPattern(2, 8), BackwardMaskSource.DENSE, 1, batch, 3,
                    0.05f, 0.9f, 5e-4f, 2e-4f, true), sat, d, d);
            t.runEpoch(null);
            Counters c = sat.counters();
            assertTrue(c.cycles(Pass.FORWARD) < c.denseCycles(Pass.FORWARD), "2:8 forward is cheaper than dense");
            assertEquals(c.denseCycles(Pass.DATA_GRADIENT), c.cycles(Pass.DATA_GRADIENT), "data gradient is dense");
            java.util.List<Trainer.LayerCycles> layers = t.layerCycles(batch);
            assertEquals(c.arrayCycles(), layers.stream().mapToLong(Trainer.LayerCycles::cycles).sum());
            assertEquals(c.denseArrayCycles(), layers.stream().mapToLong(Trainer.LayerCycles::denseCycles).sum());
        }
    }

    /**
     * widecnn on the default 32x32 array at batch 64: its SCALE-Sim topology file is the network's, and
     * its modelled 2:8 BDWP GEMM step speedup is at least 1.6x (the floor; the SAT paper's average is
     * 1.75x) and at most the ideal 3/(2N/M+1) = 2.0x, the whole step's below it, with the N:M layers over 90 % of the dense step (93.5 %: the stem's and the
     * classifier's short steps pay the pipelined fill too; 95.6 % with the combinational PE).
     * The model gave 1.793x with the combinational PE; with the default 4-stage FP32 adder a BF16 step
     * fills in 16 Rs + C + 1 cycles instead of Rs + C - 1, which costs small steps most: 1.711x.
     */
    @Test
    void widecnnsModelledSpeedupAtTwoOfEightIsAboveTheFloorAndBelowTheIdeal() {
        dev.sieve.driver.nn.Network net = dev.sieve.driver.nn.Models.build("widecnn", dev.sieve.driver.CpuDevice.fp32(),
                new NmPattern(2, 8), BackwardMaskSource.DENSE, 1);
        dev.sieve.dataflow.workload.Topology file = dev.sieve.dataflow.workload.TopologyReader.read(
                java.nio.file.Path.of("..", "examples", "topologies", "fmnist_widecnn.csv"));
        java.util.function.Function<dev.sieve.dataflow.workload.Topology, java.util.List<String>> shapes = t -> t.layers()
                .stream().map(l -> l.name() + " K=" + l.reduction() + " F=" + l.outputs() + " P=" + l.vectors(64) + " post="
                + dev.sieve.dataflow.workload.PostOp.format(l.post())).toList();
        assertEquals(shapes.apply(net.topology()), shapes.apply(file), "examples/topologies/fmnist_widecnn.csv is the network");
        dev.sieve.sim.sat.SatResult nm = dev.sieve.sim.sat.SatModel.simulate(SatDevice.defaultConfig(), net.topology(),
                new dev.sieve.sim.sat.SatRun(64, new NmPattern(2, 8), true, BackwardMaskSource.DENSE));
        dev.sieve.sim.sat.SatResult dense = dev.sieve.sim.sat.SatModel.simulate(SatDevice.defaultConfig(), net.topology(),
                new dev.sieve.sim.sat.SatRun(64, NmPattern.DENSE, true, BackwardMaskSource.DENSE));
        // the GEMM passes and pre-generation alone: the issue-4 floor
        double gemm = (double) dense.gemmCycles() / nm.gemmCycles();
        assertTrue(gemm >= 1.6 && gemm <= 2.0, "GEMM-only speedup " + gemm);
        // the whole step (issue 19): ReLU, pooling, the loss and the update cost the same dense or sparse
        // (plus SR-STE's decay), so it is slower: 1.54x (README, "the whole training step")
        double speedup = (double) dense.totalCycles() / nm.totalCycles();
        assertTrue(speedup >= 1.4 && speedup < gemm, "whole-step speedup " + speedup + ", GEMM-only " + gemm);
        long nmLayersDense = dense.passes().stream().filter(ps -> ps.layer().equals("conv2") || ps.layer().equals("conv3"))
                .mapToLong(ps -> ps.cycles()).sum();
        assertTrue(nmLayersDense > 0.90 * dense.arrayCycles(), nmLayersDense + " of " + dense.arrayCycles());
    }

    private static Dataset tinyData(int batch) {
        byte[] px = new byte[batch * 784];
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 10;
            px[i * 784 + i] = (byte) 200;
        }
        return new Dataset(batch, 28, 28, px, labels);
    }
}
