package dev.sieve.cosim.sat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.VerilatedModel;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.sat.LoopOrder;
import dev.sieve.dataflow.sat.NmAxis;
import dev.sieve.dataflow.sat.NmCompressed;
import dev.sieve.dataflow.sat.NmCompressor;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.sat.Schedule;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.dataflow.workload.Topology;
import dev.sieve.hdl.sat.NmPregen;
import dev.sieve.hdl.sat.SatAccelerator;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import dev.sieve.hdl.sat.SatDatapath;
import dev.sieve.hdl.sat.model.SatAcceleratorBench;
import dev.sieve.hdl.sat.model.SatAcceleratorData;
import dev.sieve.sim.sat.PassStats;
import dev.sieve.sim.sat.SatCosim;
import dev.sieve.sim.sat.SatModel;
import dev.sieve.sim.sat.TileTiming;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole accelerator on whole GEMM passes of real layers: the Fashion-MNIST CNN (forward with
 * N:M weights, data gradient with N:M weights along the output channels, dense weight gradient)
 * and a cut-down ResNet-18 layer, each scheduled by the sim model's offline scheduler, run through
 * the AXI4-Lite registers with a Java memory behind the AXI4 port. Every output equals the
 * reference in the accelerator's documented FP32/INT32 order bit for bit, and the busy cycles equal
 * the sim model's {@link SatModel#acceleratorCycles} (the {@link TileTiming.PassClock} rule fed the
 * accelerator's words). One compiled design per number format serves every pass; the 4 x 4 designs
 * are built for up to 4 row segments and also run the scheduler's best 4-segment candidates
 * ({@link #segmentPasses}, {@link #bestFourSegments}) and hand-made segment schedules
 * ({@link #segmentSchedules}).
 */
class SatAcceleratorCosimTest {
    private static final NmPattern P14 = new NmPattern(1, 4);
    private static final NmPattern P24 = new NmPattern(2, 4);
    private static final NmPattern P28 = new NmPattern(2, 8);

    /** The 4 x 4 designs: up to 4 row segments of one row each (the interleave mapping). */
    static SatConfig config(NumberFormat f) {
        return SatConfig.of(4, 4).withMultipliersPerPe(4, List.of(NmPattern.DENSE, P14, P24, P28)).withFormat(f)
                .withRowSegments(4).withBuffersKiB(256, 128, 256).withDramBytesPerCycle(SatAcceleratorLayout.BUS_BYTES);
    }

    /** The same record with one row segment: the scheduler's choices of {@link #passes()} run as before. */
    static SatConfig oneSegment(SatConfig cfg) {
        return cfg.withRowSegments(1);
    }

    /**
     * Passes for which the offline scheduler, given up to 4 row segments on the 4 x 4 array, chose a
     * schedule of 4 segments before one-segment passes overlapped their steps (now some prefer one
     * segment; {@link #bestFourSegments} takes their best 4-segment candidate, steps of one column
     * tile, which the accelerator runs): the dense weight
     * gradient of the cut-down ResNet-18 layer-2 convolution (K = 16: 4 segment tiles of 4 positions,
     * 16 column tiles, 576 vectors), the Fashion-MNIST conv1 weight gradient (K = 784: 196 segment
     * tiles), the ResNet-18 first convolution forward at 2:4 (K = 27, 64 outputs, 1024 vectors) and
     * the Fashion-MNIST conv2 dense forward (K = 144: 36 segment tiles; in INT8 an input-stationary
     * schedule over 8 column tiles, which earlier versions refused).
     */
    static List<PassGemm> segmentPasses(NumberFormat f) throws Exception {
        Topology cnn = dev.sieve.dataflow.workload.TopologyReader.read(Path.of("..", "examples", "topologies", "fmnist_cnn.csv"));
        Topology resnet = dev.sieve.dataflow.workload.TopologyReader.read(
                Path.of("..", "examples", "topologies", "resnet18_cifar10.csv"));
        List<PassGemm> out = new ArrayList<>();
        out.add(Bdwp.weightGradient(Layer.conv("res_l2_conv", 6, 6, 3, 3, 64, 64, 1), 0, 1));
        out.add(Bdwp.weightGradient(cnn.layers().get(0), 0, 1));
        out.add(Bdwp.forward(resnet.layers().get(0), 0, 1, P24));
        out.add(Bdwp.forward(cnn.layers().get(1), 1, 1, NmPattern.DENSE));
        return out;
    }

    /**
     * Segment schedules the scheduler does not pick here but the controller must run: one column tile
     * in the input-stationary order with the last step of each chunk short (K = 100: 25 tiles of 4
     * positions at S = 4, 13 of 8 at S = 2), and 2 segments in the output-stationary order over 16
     * column tiles in 4 chunks and over 98 reduction tiles of fc1.
     */
    static List<Schedule> segmentSchedules(SatConfig cfg) throws Exception {
        List<PassGemm> p = passes();
        PassGemm narrow = Bdwp.forward(Layer.gemm("narrow", 1, 4, 100), 0, 50, NmPattern.DENSE);
        return List.of(
                new Schedule(narrow, false, cfg, 4, 16, LoopOrder.INPUT_STATIONARY),   // 25 tiles: 7 steps per chunk, the last of 1
                new Schedule(narrow, false, cfg, 2, 50, LoopOrder.OUTPUT_STATIONARY),  // 13 tiles: 7 steps, the last of 1
                new Schedule(p.get(5), false, cfg, 2, 5, LoopOrder.OUTPUT_STATIONARY), // 1:4, 18 k x 16 col tiles, 4 chunks
                new Schedule(p.get(3), false, cfg, 2, 1, LoopOrder.OUTPUT_STATIONARY)); // 2:4, 98 k x 16 col tiles
    }

    /**
     * Segment schedules whose steps mix column tiles (the scheduler's usual 4-segment choices, refused
     * by earlier versions): in the output-stationary order reduction tiles wrap into the next column
     * tile inside a step (9 tiles of conv2's 2:8 forward at S = 4 and 5 at S = 2: a lane of the next
     * column tile reads activations of group 0 while lane 0's column tile reads a later group), and
     * small reductions put several column tiles into one step (2 reduction tiles of conv2's data
     * gradient: two words per step, each the chain of two lanes); in the input-stationary order one
     * step holds reduction tiles of two rows (2 column tiles of a 7-output GEMM at S = 4: lanes 0 and
     * 2, 1 and 3 chain onto one word each) or one row (8 and 36 column tiles). Several chunks, the
     * last step of a chunk short.
     */
    static List<Schedule> mixedSchedules(SatConfig cfg) throws Exception {
        List<PassGemm> p = passes();
        PassGemm mix = Bdwp.forward(Layer.gemm("mix", 1, 7, 40), 0, 20, NmPattern.DENSE);
        return List.of(
                new Schedule(p.get(0), false, cfg, 4, 50, LoopOrder.OUTPUT_STATIONARY),  // 2:8, 9 k x 8 col tiles, 4 chunks
                new Schedule(p.get(0), false, cfg, 2, 196, LoopOrder.OUTPUT_STATIONARY), // 5 k x 8 col tiles
                new Schedule(p.get(1), false, cfg, 4, 98, LoopOrder.OUTPUT_STATIONARY),  // 2 k x 36 col tiles, 2 chunks
                new Schedule(p.get(0), false, cfg, 4, 196, LoopOrder.INPUT_STATIONARY),  // 9 k x 8 col tiles
                new Schedule(p.get(1), false, cfg, 4, 64, LoopOrder.INPUT_STATIONARY),   // 2 k x 36 col tiles, 4 chunks
                new Schedule(mix, false, cfg, 4, 8, LoopOrder.INPUT_STATIONARY),         // 10 k x 2 col tiles, 3 chunks
                new Schedule(mix, false, cfg, 4, 20, LoopOrder.OUTPUT_STATIONARY),       // 10 k x 2 col tiles
                new Schedule(p.get(4), false, cfg, 4, 1, LoopOrder.INPUT_STATIONARY));   // dense fc2: 16 k x 3 col tiles
    }

    /** The passes run on each design: layer shapes of the Fashion-MNIST CNN and ResNet-18 at batch 1. */
    static List<PassGemm> passes() throws Exception {
        Topology cnn = dev.sieve.dataflow.workload.TopologyReader.read(Path.of("..", "examples", "topologies", "fmnist_cnn.csv"));
        Layer conv2 = cnn.layers().get(1);
        Layer fc1 = cnn.layers().get(2);
        Layer fc2 = cnn.layers().get(3);
        // ResNet-18 layer-2 3x3 convolution (64 -> 64 channels), cut down to a 6x6 input (4x4 outputs)
        Layer res = Layer.conv("res_l2_conv", 6, 6, 3, 3, 64, 64, 1);
        List<PassGemm> out = new ArrayList<>();
        out.add(Bdwp.forward(conv2, 1, 1, P28));
        out.add(Bdwp.dataGradient(conv2, 1, 1, P28));
        out.add(Bdwp.weightGradient(conv2, 1, 1));
        out.add(Bdwp.forward(fc1, 2, 1, P24));
        out.add(Bdwp.forward(fc2, 3, 1, NmPattern.DENSE));
        out.add(Bdwp.forward(res, 0, 1, P14));
        out.add(Bdwp.dataGradient(res, 0, 1, P24));
        return out;
    }

    /** The scheduler's cheapest candidate of {@code g} with 4 segments that this accelerator runs. */
    static Schedule bestFourSegments(PassGemm g, SatConfig cfg, SatAcceleratorLayout layout) {
        return dev.sieve.dataflow.sat.OfflineScheduler.candidates(g, cfg).stream()
                .filter(s -> s.segments() == 4)
                .filter(s -> SatAcceleratorLayout.segmentRefusal(4, layout.maxSegments(), s.kTiles(), s.colTiles(),
                        s.order() == LoopOrder.INPUT_STATIONARY).isEmpty())
                .min(java.util.Comparator.comparing(SatModel::cost))
                .orElseThrow(() -> new AssertionError(g.layer() + " " + g.pass().label() + ": no 4-segment schedule"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"int8", "bf16"})
    void wholePassesAreBitAndCycleExact(String format) throws Exception {
        SatConfig cfg = config(NumberFormat.parse(format));
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(cfg);
        SatAcceleratorData data = new SatAcceleratorData(layout);
        CompiledDesign rtl = SatDesigns.compile(() -> new SatAccelerator(layout), SatAcceleratorBench.BUILD);
        EnergyTable energy = EnergyTable.horowitz45nm(cfg.format());
        SplittableRandom rnd = new SplittableRandom(format.hashCode());
        try (VerilatedModel model = rtl.newModel()) {
            SatAcceleratorBench bench = new SatAcceleratorBench(model, 0);
            for (PassGemm g : passes()) {
                PassStats stats = SatModel.pass(oneSegment(cfg), energy, g);
                runPass(bench, layout, data, stats.schedule(), rnd, 0);
            }
            // the scheduler's best 4-segment schedules: 4 segment partial sums per output and step, added
            // onto the accumulator in reduction-tile order (the sw-driver's order: bit-exact in BF16). The
            // scheduler itself may now prefer one segment, whose steps overlap their fill (segment passes'
            // steps wait for the drain), so the best of its 4-segment candidates the controller runs
            for (PassGemm g : segmentPasses(cfg.format())) {
                Schedule s = bestFourSegments(g, cfg, layout);
                assertEquals(4, s.segments(), g.layer() + " " + g.pass().label() + ": segments");
                runPass(bench, layout, data, s, rnd, 0);
            }
            for (Schedule s : segmentSchedules(cfg)) {
                runPass(bench, layout, data, s, rnd, 0);
            }
            for (Schedule s : mixedSchedules(cfg)) {
                runPass(bench, layout, data, s, rnd, 0);
            }
        }
    }

    /**
     * Two larger compiled designs, dense/1:4/2:4/2:8 built in: 8x8 INT8 with 4 multipliers per PE and
     * 16x16 INT8 with 2 (every built pattern has N <= 2; two per PE keep its Verilator compile within
     * minutes), on {@link #passes()}, ResNet-18 layer-2's dense weight gradient and a layer-3 3x3
     * convolution (128 -> 128 channels, 6x6 input) forward 2:8 and 2:4 and data gradient 1:4 (its
     * dense forward and weight gradient exceed the buffers).
     */
    @ParameterizedTest(name = "{0}x{0} L={1}")
    @org.junit.jupiter.params.provider.CsvSource({"8, 4", "16, 2"})
    void largerArraysRunWholePassesExactly(int size, int multipliers) throws Exception {
        SatConfig cfg = SatConfig.of(size, size).withMultipliersPerPe(multipliers, List.of(NmPattern.DENSE, P14, P24, P28))
                .withFormat(NumberFormat.INT8_INT32).withRowSegments(1).withBuffersKiB(256, 128, 256)
                .withDramBytesPerCycle(SatAcceleratorLayout.BUS_BYTES);
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(cfg);
        EnergyTable energy = EnergyTable.horowitz45nm(cfg.format());
        List<PassGemm> all = new ArrayList<>(passes());
        all.add(Bdwp.weightGradient(Layer.conv("res_l2_conv", 6, 6, 3, 3, 64, 64, 1), 0, 1));
        Layer res3 = Layer.conv("res_l3_conv", 6, 6, 3, 3, 128, 128, 1);
        all.add(Bdwp.forward(res3, 1, 1, P28));
        all.add(Bdwp.forward(res3, 1, 1, P24));
        all.add(Bdwp.dataGradient(res3, 1, 1, P14));
        List<Schedule> plan = new ArrayList<>();
        for (PassGemm g : all) {
            Schedule s = SatModel.pass(cfg, energy, g).schedule();
            SatCosim.command(layout, s, 0, 0, 0); // refused before anything is compiled
            plan.add(s);
        }
        CompiledDesign rtl = SatDesigns.compile(() -> new SatAccelerator(layout), SatAcceleratorBench.BUILD);
        SplittableRandom rnd = new SplittableRandom(size);
        try (VerilatedModel model = rtl.newModel()) {
            SatAcceleratorBench bench = new SatAcceleratorBench(model, 0);
            for (Schedule s : plan) {
                runPass(bench, layout, new SatAcceleratorData(layout), s, rnd, 0);
            }
        }
    }

    /**
     * The 8x8 and 16x16 BF16 accelerators of {@code cosim sat --array RxC --nm 2:8 --format bf16} (the
     * record that command builds: L = 4, dense and 2:8, 512 KiB buffers, 16-byte port, one row segment,
     * so both share one compiled design in the cache; 16x16 is the largest BF16 array, 74 MB of
     * Verilated C++, about 5 minutes to build on a quiet machine): every layer of the Fashion-MNIST CNN as that
     * command runs it (forward with the layer's pattern, 2:8 unless the topology says dense; data
     * gradient except for the first layer; dense weight gradient; 11 passes, the scheduler's
     * schedules), bit- and cycle-exact, and pre-generation of the conv2 weights in 2:8 on the same
     * design. The 4x4 designs run BF16 with one-row segments; these fill 8 or 16 rows of 4-stage FP32
     * adders per step (fill {@code 16·R + C + 1}) and stream 8- or 16-row activation words.
     */
    @ParameterizedTest(name = "{0}x{0}")
    @ValueSource(ints = {8, 16})
    void bf16RunsTheFashionMnistLayersExactly(int size) throws Exception {
        SatConfig cfg = new SatConfig(size, size, 4, List.of(NmPattern.DENSE, P28), NumberFormat.BF16_FP32,
                SatConfig.DEFAULT_BUFFER_KIB, SatConfig.DEFAULT_BUFFER_KIB, SatConfig.DEFAULT_BUFFER_KIB,
                SatAcceleratorLayout.BUS_BYTES, SatConfig.DEFAULT_CLOCK_MHZ, 1).requireRtlBuildable();
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(cfg);
        EnergyTable energy = EnergyTable.horowitz45nm(cfg.format());
        Topology cnn = dev.sieve.dataflow.workload.TopologyReader.read(Path.of("..", "examples", "topologies", "fmnist_cnn.csv"));
        List<Schedule> plan = new ArrayList<>();
        for (int i = 0; i < cnn.layers().size(); i++) {
            Layer l = cnn.layers().get(i);
            NmPattern p = l.sparsity() != null ? l.sparsity() : P28;
            List<PassGemm> passes = new ArrayList<>();
            passes.add(Bdwp.forward(l, i, 1, p));
            if (i > 0) {
                passes.add(Bdwp.dataGradient(l, i, 1, p));
            }
            passes.add(Bdwp.weightGradient(l, i, 1));
            for (PassGemm g : passes) {
                Schedule s = SatModel.pass(cfg, energy, g).schedule();
                SatCosim.command(layout, s, 0, 0, 0); // refused before anything is compiled
                plan.add(s);
            }
        }
        assertEquals(11, plan.size(), "passes of the four layers");
        assertTrue(plan.stream().anyMatch(s -> s.gemm().pattern().equals(P28)), "some 2:8 passes");
        CompiledDesign rtl = SatDesigns.compile(() -> new SatAccelerator(layout), SatAcceleratorBench.BUILD);
        SplittableRandom rnd = new SplittableRandom(88);
        try (VerilatedModel model = rtl.newModel()) {
            SatAcceleratorBench bench = new SatAcceleratorBench(model, 0);
            for (Schedule s : plan) {
                runPass(bench, layout, new SatAcceleratorData(layout), s, rnd, 0);
            }
        }
        checkPreGeneration(cfg, layout, rtl, 88);
    }

    /**
     * The native AXI memory ({@link dev.sieve.cosim.AxiMemory}) and the bench's Java memory, the
     * reference of the timing rule, on the same passes of the same design with latency 3: equal busy
     * and observed cycles (equal to the model's), equal outputs, and every byte of memory equal after
     * the passes.
     */
    @org.junit.jupiter.api.Test
    void nativeMemoryEqualsTheJavaMemory() throws Exception {
        SatConfig cfg = config(NumberFormat.INT8_INT32);
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(cfg);
        CompiledDesign rtl = SatDesigns.compile(() -> new SatAccelerator(layout), SatAcceleratorBench.BUILD);
        EnergyTable energy = EnergyTable.horowitz45nm(cfg.format());
        List<PassGemm> all = passes();
        int latency = 3;
        try (VerilatedModel a = rtl.newModel(); VerilatedModel b = rtl.newModel()) {
            SatAcceleratorBench java = SatAcceleratorBench.javaMemory(a, latency);
            SatAcceleratorBench nat = new SatAcceleratorBench(b, latency);
            assertTrue(!java.nativeMemory() && nat.nativeMemory());
            for (PassGemm g : List.of(all.get(0), all.get(2), all.get(4), segmentPasses(cfg.format()).get(0))) {
                Schedule s = SatModel.pass(g.layer().startsWith("res") ? cfg : oneSegment(cfg), energy, g).schedule();
                SatCosim.Outcome oj = SatCosim.run(java, layout, s, new SplittableRandom(5), latency);
                SatCosim.Outcome on = SatCosim.run(nat, layout, s, new SplittableRandom(5), latency);
                String what = g.layer() + " " + g.pass().label();
                assertTrue(oj.bitExact() && on.bitExact(), what + ": outputs");
                assertEquals(oj.modelCycles(), oj.rtlCycles(), what + ": Java memory, busy cycles");
                assertEquals(oj.rtlCycles(), on.rtlCycles(), what + ": busy cycles");
                assertEquals(oj.observedCycles(), on.observedCycles(), what + ": start to interrupt");
                assertArrayEquals(java.read(0, 1 << 20), nat.read(0, 1 << 20), what + ": memory contents");
                System.out.printf("accelerator memory %s: java %.0f cycles/s, native %.0f cycles/s%n", what,
                        oj.rtlCycles() / oj.seconds(), on.rtlCycles() / on.seconds());
            }
            assertEquals(a.cycles(), b.cycles(), "cycles run by the two instances");
        }
    }

    /**
     * Pre-generation on the hardware of the conv2 weights (32 x 144, 72 blocks of 8 x 8) in every
     * sparse pattern: the forward (N:M along input channels) and backward (along output channels,
     * from the dense weights) compressed values and indices equal the dataflow's
     * {@link NmCompressor}, slot for slot, and the busy cycles equal {@link SatModel#acceleratorPregenCycles}.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"int8", "bf16"})
    void preGenerationMatchesTheCompressorAndTheModel(String format) {
        SatConfig cfg = config(NumberFormat.parse(format));
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(cfg);
        CompiledDesign rtl = SatDesigns.compile(() -> new SatAccelerator(layout), SatAcceleratorBench.BUILD);
        checkPreGeneration(cfg, layout, rtl, 11 + format.hashCode());
    }

    /**
     * Pre-generation of the conv2 weights (32 x 144) on {@code rtl} in every sparse pattern it was
     * built for, against {@link NmCompressor} slot for slot and {@link SatModel#acceleratorPregenCycles}.
     */
    private static void checkPreGeneration(SatConfig cfg, SatAcceleratorLayout layout, CompiledDesign rtl, long seed) {
        SatDatapath dp = layout.datapath();
        boolean bf16 = dp.format() == NumberFormat.BF16_FP32;
        int mMax = NmPregen.maxM(dp);
        int keep = NmPregen.keep(dp);
        int ib = NmPregen.indexWidth(dp);
        int vw = dp.valueWidth();
        int f = 32;
        int k = 144;
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][] w = new int[f][k];
        float[][] wf = new float[f][k];
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < k; j++) {
                // few distinct magnitudes and zeros of both signs, so ties and zero groups occur
                int mag = rnd.nextInt(4);
                boolean neg = rnd.nextBoolean();
                w[i][j] = bf16 ? (neg ? 0x8000 : 0) | (mag == 0 ? 0 : (126 + mag) << 7 | rnd.nextInt(2) << 6)
                        : (neg ? -mag * 40 : mag * 40) & 0xFF;
                if (!bf16 && mag == 3 && neg) {
                    w[i][j] = 0x80; // -128, the largest magnitude
                }
                wf[i][j] = bf16 ? Float.intBitsToFloat(w[i][j] << 16) : (byte) w[i][j];
            }
        }
        int blockBits = layout.pregenBlockBits();
        long blockStride = SatAcceleratorLayout.stride(blockBits);
        long resultStride = SatAcceleratorLayout.stride(layout.pregenResultBits());
        int bRows = f / mMax;
        int bCols = k / mMax;
        byte[] region = new byte[(int) (bRows * bCols * blockStride)];
        for (int bi = 0; bi < bRows; bi++) {
            for (int bj = 0; bj < bCols; bj++) {
                java.math.BigInteger word = java.math.BigInteger.ZERO;
                for (int e = 0; e < mMax * mMax; e++) {
                    long v = w[bi * mMax + e / mMax][bj * mMax + e % mMax];
                    word = word.or(java.math.BigInteger.valueOf(v).shiftLeft(e * vw));
                }
                byte[] be = word.toByteArray();
                int off = (int) ((bi * bCols + bj) * blockStride);
                for (int b = 0; b < blockBits / 8; b++) {
                    int src = be.length - 1 - b;
                    region[off + b] = src >= 0 ? be[src] : 0;
                }
            }
        }
        long yAddr = SatAcceleratorLayout.align(region.length);
        try (VerilatedModel model = rtl.newModel()) {
            SatAcceleratorBench bench = new SatAcceleratorBench(model, 0);
            bench.write(0, region);
            List<NmPattern> sparse = dp.sparsePatterns();
            for (int code = 0; code < sparse.size(); code++) {
                NmPattern p = sparse.get(code);
                SatAcceleratorLayout.Pregen c = new SatAcceleratorLayout.Pregen(bRows * bCols, code, 0, yAddr);
                assertTrue(layout.refusal(c).isEmpty());
                SatAcceleratorBench.Run run = bench.run(c, 10_000_000);
                assertTrue(!run.error(), p + ": refused");
                assertEquals(SatModel.acceleratorPregenCycles(cfg, bRows * bCols, 0), run.busyCycles(), p + ": cycles");
                NmCompressed fwd = NmCompressor.compress(wf, p, NmAxis.INPUT_CHANNELS);
                NmCompressed bwd = NmCompressor.compress(wf, p, NmAxis.OUTPUT_CHANNELS);
                int slots = mMax * keep;
                for (int bi = 0; bi < bRows; bi++) {
                    for (int bj = 0; bj < bCols; bj++) {
                        byte[] le = bench.read(yAddr + (bi * bCols + bj) * resultStride, (int) resultStride);
                        byte[] be = new byte[le.length + 1];
                        for (int b = 0; b < le.length; b++) {
                            be[le.length - b] = le[b];
                        }
                        java.math.BigInteger r = new java.math.BigInteger(be);
                        int[] fv = lanes(r, 0, slots, vw);
                        int[] fi = lanes(r, slots * vw, slots, ib);
                        int[] bv = lanes(r, slots * (vw + ib), slots, vw);
                        int[] bix = lanes(r, slots * (2 * vw + ib), slots, ib);
                        for (int line = 0; line < mMax; line++) {
                            for (int g = 0; g < mMax / p.m(); g++) {
                                for (int n = 0; n < p.n(); n++) {
                                    int slot = line * keep + g * p.n() + n;
                                    int row = bi * mMax + line;
                                    int fg = (row * fwd.groupsPerLine() + bj * mMax / p.m() + g) * p.n() + n;
                                    String at = p + " block (" + bi + "," + bj + ") line " + line + " group " + g + " slot " + n;
                                    assertEquals(fwd.values()[fg], value(fv[slot], bf16), "forward value " + at);
                                    assertEquals(fwd.indices()[fg], fi[slot], "forward index " + at);
                                    int col = bj * mMax + line;
                                    int bg = (col * bwd.groupsPerLine() + bi * mMax / p.m() + g) * p.n() + n;
                                    assertEquals(bwd.values()[bg], value(bv[slot], bf16), "backward value " + at);
                                    assertEquals(bwd.indices()[bg], bix[slot], "backward index " + at);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static int[] lanes(java.math.BigInteger word, int lowBit, int count, int width) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = word.shiftRight(lowBit + i * width).intValue() & ((1 << width) - 1);
        }
        return out;
    }

    private static float value(int bits, boolean bf16) {
        return bf16 ? Float.intBitsToFloat(bits << 16) : (byte) bits;
    }

    /**
     * Schedules the offline scheduler does not pick here but the controller must run: several chunks
     * of vectors (later chunks reuse the loaded weights and load only their activation slices, at the
     * first column tile), several weight and column tiles, both loop orders.
     */
    static List<Schedule> overlapSchedules(SatConfig cfg) throws Exception {
        List<PassGemm> p = passes();
        return List.of(
                new Schedule(p.get(0), false, cfg, 1, 50, LoopOrder.OUTPUT_STATIONARY),  // 3 k x 8 col tiles, 4 chunks
                new Schedule(p.get(0), false, cfg, 1, 64, LoopOrder.INPUT_STATIONARY),   // chunks 64, 64, 64, 4
                new Schedule(p.get(2), false, cfg, 1, 40, LoopOrder.INPUT_STATIONARY),   // dense: 13 k x 8 col tiles
                new Schedule(p.get(6), false, cfg, 1, 5, LoopOrder.OUTPUT_STATIONARY));  // 2 k x 144 col tiles, 4 chunks
    }

    /**
     * The INT8 design at memory latency 0 and 3 on every pass above and on {@link #overlapSchedules}:
     * bit-exact, and busy cycles equal to the pass rule, the latency entering where the rule says
     * (before the first data and before the last response; the reads and writes between stream).
     */
    @ParameterizedTest(name = "latency {0}")
    @ValueSource(ints = {0, 3})
    void overlapAcrossChunksOrdersAndLatencies(int latency) throws Exception {
        SatConfig cfg = config(NumberFormat.INT8_INT32);
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(cfg);
        CompiledDesign rtl = SatDesigns.compile(() -> new SatAccelerator(layout), SatAcceleratorBench.BUILD);
        EnergyTable energy = EnergyTable.horowitz45nm(cfg.format());
        List<Schedule> schedules = new ArrayList<>();
        if (latency != 0) {
            for (PassGemm g : passes()) {
                schedules.add(SatModel.pass(oneSegment(cfg), energy, g).schedule());
            }
        }
        schedules.addAll(overlapSchedules(cfg));
        schedules.addAll(segmentSchedules(cfg));
        schedules.addAll(mixedSchedules(cfg));
        try (VerilatedModel model = rtl.newModel()) {
            SatAcceleratorBench bench = new SatAcceleratorBench(model, latency);
            SplittableRandom rnd = new SplittableRandom(7 + latency);
            for (Schedule s : schedules) {
                runPass(bench, layout, new SatAcceleratorData(layout), s, rnd, latency);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pattern", "weights", "segments", "segment-wrap", "outputs", "chunk", "base"})
    void refusedDescriptorsSetTheErrorBitAndRunNothing(String what) {
        SatConfig cfg = config(NumberFormat.INT8_INT32);
        SatAcceleratorLayout layout = SatAcceleratorLayout.of(cfg);
        CompiledDesign rtl = SatDesigns.compile(() -> new SatAccelerator(layout), SatAcceleratorBench.BUILD);
        SatAcceleratorLayout.Command ok = new SatAcceleratorLayout.Command(8, 2, 2, 8, 0, 0, false, 0, 0x10000, 0x20000);
        SatAcceleratorLayout.Command bad = switch (what) {
            case "pattern" -> new SatAcceleratorLayout.Command(8, 2, 2, 8, 4, 0, false, 0, 0x10000, 0x20000);
            case "weights" -> new SatAcceleratorLayout.Command(8, 1000, 1000, 8, 0, 0, false, 0, 0x10000, 0x20000);
            case "segments" -> new SatAcceleratorLayout.Command(8, 4, 2, 8, 0, 3, false, 0, 0x10000, 0x20000);
            // 2 segments, input-stationary order, 3 column tiles: a step would wrap from column tile 2 to
            // 0 and reach two words of one output bank
            case "segment-wrap" -> new SatAcceleratorLayout.Command(8, 2, 3, 8, 0, 1, true, 0, 0x10000, 0x20000);
            // 5 column tiles x ceil(4096 / 4) vectors = 5120 words per output bank; a bank holds 4096
            case "outputs" -> new SatAcceleratorLayout.Command(4096, 1, 5, 8, 0, 0, false, 0, 0x10000, 0x20000);
            case "chunk" -> new SatAcceleratorLayout.Command(8, 2, 2, 9, 0, 0, false, 0, 0x10000, 0x20000);
            default -> new SatAcceleratorLayout.Command(8, 2, 2, 8, 0, 0, false, 0x10, 0x10000, 0x20000);
        };
        assertTrue(layout.refusal(ok).isEmpty());
        Optional<String> why = layout.refusal(bad);
        assertTrue(why.isPresent(), what);
        try (VerilatedModel model = rtl.newModel()) {
            SatAcceleratorBench bench = new SatAcceleratorBench(model, 0);
            byte[] marker = new byte[64];
            java.util.Arrays.fill(marker, (byte) 0x5A);
            bench.write(0x20000, marker);
            SatAcceleratorBench.Run run = bench.run(bad, 100);
            assertTrue(run.error(), "status error bit for " + why.get());
            assertEquals(1, run.busyCycles(), "one cycle of check, then idle");
            assertArrayEquals(marker, bench.read(0x20000, 64), "nothing written");
            SatAcceleratorBench.Run good = bench.run(ok, 100_000);
            assertTrue(!good.error(), "the next good descriptor runs");
        }
    }

    private static void runPass(SatAcceleratorBench bench, SatAcceleratorLayout layout, SatAcceleratorData data,
                                Schedule s, SplittableRandom rnd, int latency) {
        SatCosim.Outcome o = SatCosim.run(bench, layout, s, rnd, latency);
        PassGemm g = s.gemm();
        String what = g.layer() + " " + g.pass().label() + " " + g.pattern() + " " + s.describe() + " K=" + g.reduction()
                + " M=" + g.outputs() + " N=" + g.vectors();
        System.out.printf("accelerator %s %s lat=%d: rtl=%d model=%d array=%d model(pass)=%d rtl_cycles_per_s=%.0f%n",
                layout.datapath().format().label(), what, latency, o.rtlCycles(), o.modelCycles(), SatModel.arrayCycles(s),
                SatModel.cost(s).cycles(), o.rtlCycles() / o.seconds());
        assertTrue(o.bitExact(), () -> what + ": " + o.mismatch().orElseThrow());
        assertEquals(o.modelCycles(), o.rtlCycles(), what + ": busy cycles");
        assertEquals(o.rtlCycles(), o.observedCycles(), what + ": start to interrupt");
    }
}
