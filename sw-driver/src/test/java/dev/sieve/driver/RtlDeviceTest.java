package dev.sieve.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.sat.NmAxis;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.driver.nn.Act;
import dev.sieve.driver.nn.Flatten;
import dev.sieve.driver.nn.GemmLayer;
import dev.sieve.driver.nn.Linear;
import dev.sieve.driver.nn.Module;
import dev.sieve.driver.nn.Network;
import dev.sieve.driver.nn.Param;
import dev.sieve.driver.nn.Relu;
import dev.sieve.driver.nn.Sgd;
import dev.sieve.driver.nn.SoftmaxCrossEntropy;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import dev.sieve.sim.sat.SatCosim;
import dev.sieve.sim.sat.SatModel;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Training on the Verilated SAT accelerator ({@link RtlDevice}) against the SAT device on the same
 * record: weights, operands and masks bit for bit. Needs Verilator (fails with its message when it is
 * missing). The record is verilator-tests' {@code SatAcceleratorCosimTest.config(bf16)} (4 x 4, L = 4,
 * dense/1:4/2:4/2:8, up to 4 row segments, 128 KiB weight buffer), so the design it compiles is already
 * in the cache by content hash: this test adds no compiled design. On this record the offline
 * scheduler picks 4 row segments for nearly every pass, so both devices sum in tiles of
 * {@code 1 * kPerPe} positions, and passes whose 4-segment steps would mix column tiles run one
 * column tile per command.
 */
class RtlDeviceTest {
    static SatConfig config() {
        return SatConfig.of(4, 4).withMultipliersPerPe(4, List.of(NmPattern.DENSE, new NmPattern(1, 4),
                        new NmPattern(2, 4), new NmPattern(2, 8))).withFormat(NumberFormat.BF16_FP32)
                .withRowSegments(4).withBuffersKiB(256, 128, 256).withDramBytesPerCycle(SatAcceleratorLayout.BUS_BYTES);
    }

    /** 32 features (a 4 x 8 image) -> 16 -> 16 -> 10: two N:M layers (pre-generated on the hardware) and a dense one. */
    static Network tiny(Device d, NmPattern p, BackwardMaskSource src) {
        List<Module> mods = List.of(new Flatten("flatten"), new Linear(d, "fc1", 0, true, 32, 16, p, src),
                new Relu("relu1"), new Linear(d, "fc2", 1, false, 16, 16, p, src), new Relu("relu2"),
                new Linear(d, "fc3", 2, false, 16, 10, NmPattern.DENSE, src));
        Network net = new Network("tiny", mods, List.of());
        SplittableRandom rng = new SplittableRandom(5);
        for (GemmLayer g : net.gemmLayers()) {
            g.init(rng);
        }
        return net;
    }

    /**
     * Four BDWP steps (pre-generation, forward, backward, SGD with momentum and SR-STE) of the tiny
     * network at batch 6 on both devices from the same weights and data: every parameter, and every
     * layer's pre-generated operands and keep masks, equal bit for bit; the weights moved; the
     * accelerator's busy cycles equal the model's prediction for its commands, and the pre-generation
     * unit ran (its cycles are not zero).
     */
    @ParameterizedTest(name = "{0} backward mask from {1}")
    @CsvSource({"2:8, DENSE", "1:4, FORWARD_PRUNED"})
    void trainingStepsEndBitIdenticalToTheSatDevice(String nm, BackwardMaskSource src) {
        NmPattern p = NmPattern.parse(nm);
        try (RtlDevice rtl = new RtlDevice(config()); SatDevice sat = new SatDevice(config(), 1)) {
            Network a = tiny(rtl, p, src);
            Network b = tiny(sat, p, src);
            float[] start = a.params().get(0).value().clone();
            SplittableRandom rnd = new SplittableRandom(9);
            Sgd sgd = new Sgd(0.9f, 5e-4f, 2e-2f);
            int batch = 6;
            for (int step = 0; step < 4; step++) {
                float[] x = new float[batch * 32];
                int[] y = new int[batch];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rnd.nextGaussian();
                }
                for (int i = 0; i < batch; i++) {
                    y[i] = rnd.nextInt(10);
                }
                for (Network net : List.of(a, b)) {
                    net.pregen();
                    Act logits = net.forward(new Act(x.clone(), 1, batch, 4, 8));
                    net.backward(SoftmaxCrossEntropy.apply(logits, y, 0).grad());
                    sgd.step(net.params(), 0.1f);
                }
                for (int l = 0; l < 3; l++) {
                    NmWeights ra = a.gemmLayers().get(l).operands();
                    NmWeights rb = b.gemmLayers().get(l).operands();
                    String at = "step " + step + " layer " + l;
                    assertArrayEquals(bits(rb.forward().host()), bits(ra.forward().host()), at + " forward operand");
                    assertArrayEquals(bits(rb.backward().host()), bits(ra.backward().host()), at + " backward operand");
                    assertArrayEquals(rb.forwardKeep(), ra.forwardKeep(), at + " forward mask");
                    assertArrayEquals(rb.backwardKeep(), ra.backwardKeep(), at + " backward mask");
                }
            }
            List<Param> pa = a.params();
            List<Param> pb = b.params();
            for (int i = 0; i < pa.size(); i++) {
                assertArrayEquals(bits(pb.get(i).value()), bits(pa.get(i).value()), pa.get(i).name());
                assertArrayEquals(bits(pb.get(i).momentum()), bits(pa.get(i).momentum()), pa.get(i).name() + " momentum");
            }
            assertFalse(java.util.Arrays.equals(bits(start), bits(pa.get(0).value())), "the weights moved");
            assertEquals(sat.counters().arrayCycles(), rtl.counters().arrayCycles(), "the model's counters");
            RtlDevice.RtlStats st = rtl.rtlStats();
            assertEquals(st.modelGemmCycles(), st.gemmCycles(), "GEMM busy cycles equal the model's prediction");
            assertEquals(st.modelPregenCycles(), st.pregenCycles(), "pre-generation busy cycles equal the model's");
            assertTrue(st.pregenCycles() > 0, "the N:M layers were pre-generated on the hardware");
            // 4 steps: fc1 forward + weight gradient, fc2 and fc3 three passes each, fc1/fc2 one pre-generation
            // (two with the backward mask from the forward-pruned weights). With 4 row segments the scheduler
            // takes 4 for every pass here, whose steps mix column tiles (the input-stationary order of fc1's
            // and fc3's forward over 4 and 3 column tiles, or 1 to 3 reduction tiles per column tile): the
            // accelerator runs each whole, one command per pass (earlier versions ran one per column tile:
            // 4 + 4, 4 + 4 + 4, 3 + 4 + 4)
            int pregens = src == BackwardMaskSource.FORWARD_PRUNED ? 4 : 2;
            assertEquals(4 * (2 + 3 + 3 + pregens), st.commands(), "accelerator commands");
        }
    }

    /**
     * Passes beyond the buffers are cut along vectors and outputs and still equal the SAT device bit for
     * bit: a dense forward of 8 outputs, K = 64 (16 segment tiles of 4 in 4 row segments, 4 reduction
     * groups of 16) and 1100 vectors needs 4 x 1100 = 4400 activation words, the 256 KiB activation
     * buffer holds 256 * 8192 / 1024 = 2048, so it runs in pieces of at most 512 vectors (2048 / 4),
     * 3 commands (the scheduler's input-stationary steps mix the 2 column tiles, which the accelerator
     * runs); a 2:8 pass of 36 outputs, K = 96 (2 tiles
     * of 64) and 1500 vectors as 2 of at most 1024; a weight gradient (which the scheduler may run
     * transposed) fits whole.
     */
    @Test
    void passesBeyondTheBuffersAreCutAndStayBitIdentical() {
        SplittableRandom rnd = new SplittableRandom(3);
        try (RtlDevice rtl = new RtlDevice(config()); SatDevice sat = new SatDevice(config(), 1)) {
            PassGemm dense = Bdwp.forward(Layer.gemm("wide", 1, 8, 64), 0, 1100, NmPattern.DENSE);
            assertEquals(4, rtl.plan(dense).get(0).schedule().segments());
            assertEquals(3, rtl.plan(dense).size(), "commands of the cut pass");
            compare(rtl, sat, dense, rnd, null);
            NmPattern p28 = new NmPattern(2, 8);
            PassGemm sparse = Bdwp.forward(Layer.gemm("sparse", 1, 36, 96), 0, 1500, p28);
            assertEquals(2, rtl.plan(sparse).size(), "commands of the cut sparse pass");
            compare(rtl, sat, sparse, rnd, p28);
            compare(rtl, sat, Bdwp.weightGradient(Layer.gemm("wg", 1, 8, 600), 0, 5), rnd, null);
            assertEquals(rtl.rtlStats().modelGemmCycles(), rtl.rtlStats().gemmCycles());
        }
    }

    /**
     * Outputs are cut in whole column tiles: 1000 outputs of K = 64 are 250 column tiles of 4 x 4 = 16
     * weight words each, the 128 KiB buffer holds 3449 words = 215 column tiles, so two commands of
     * 860 and 140 outputs, each accepted by the hardware's rule (one row segment).
     */
    @Test
    void outputsAreCutInWholeColumnTiles() {
        SatConfig cfg = config().withRowSegments(1);
        PassGemm g = Bdwp.forward(Layer.gemm("tall", 1, 1000, 64), 0, 4, NmPattern.DENSE);
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(cfg);
        List<RtlDevice.Piece> plan = RtlDevice.plan(layout,
                SatModel.pass(cfg, EnergyTable.horowitz45nm(cfg.format()), g).schedule());
        assertEquals(List.of(0, 860), plan.stream().map(RtlDevice.Piece::row0).toList());
        assertEquals(List.of(860, 140), plan.stream().map(RtlDevice.Piece::rows).toList());
        for (RtlDevice.Piece piece : plan) {
            assertTrue(layout.refusal(SatCosim.command(layout, piece.schedule(), 0, 0, 0)).isEmpty());
        }
    }

    /** A reduction longer than one column tile's buffers is refused before anything runs, naming the buffer. */
    @Test
    void aReductionBeyondTheBuffersIsRefused() {
        // 40,000 positions are 2,500 tiles of 16: 10,000 weight words for one column tile, the 128 KiB weight
        // buffer holds 128 * 8192 / 304 = 3449
        PassGemm g = Bdwp.forward(Layer.gemm("long", 1, 4, 40_000), 0, 2, NmPattern.DENSE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RtlDevice.requireRunnable(config(), g));
        assertTrue(e.getMessage().contains("10000 weight words (the buffer holds 3449)"), e.getMessage());
    }

    /** c = a * b on both devices from the same operands ({@code p}: a pruned N:M along its rows). */
    private static void compare(RtlDevice rtl, SatDevice sat, PassGemm g, SplittableRandom rnd, NmPattern p) {
        int m = (int) g.outputs();
        int k = (int) g.reduction();
        int n = (int) g.vectors();
        float[] av = new float[m * k];
        float[] bv = new float[k * n];
        for (int i = 0; i < av.length; i++) {
            av[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < bv.length; i++) {
            bv[i] = (float) rnd.nextGaussian();
        }
        float[] cr = new float[m * n];
        float[] cs = new float[m * n];
        Operand ar;
        Operand as;
        if (p == null) {
            ar = Operand.dense(Matrix.of(rtl.wrap("a", av), m, k));
            as = Operand.dense(Matrix.of(sat.wrap("a", av), m, k));
        } else {
            boolean[] keep = new boolean[m * k];
            NmMasks.keep(av, m, k, p, NmAxis.INPUT_CHANNELS, keep);
            NmMasks.apply(av, keep, av, m * k);
            ar = Operand.weight(Matrix.of(rtl.wrap("a", av), m, k), keep, p, NmAxis.INPUT_CHANNELS);
            as = Operand.weight(Matrix.of(sat.wrap("a", av), m, k), keep, p, NmAxis.INPUT_CHANNELS);
        }
        rtl.gemm(g, ar, Matrix.of(rtl.wrap("b", bv), k, n), Matrix.of(rtl.wrap("c", cr), m, n));
        sat.gemm(g, as, Matrix.of(sat.wrap("b", bv), k, n), Matrix.of(sat.wrap("c", cs), m, n));
        assertArrayEquals(bits(cs), bits(cr), g.layer() + " " + g.pass().label());
    }

    private static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }
}
