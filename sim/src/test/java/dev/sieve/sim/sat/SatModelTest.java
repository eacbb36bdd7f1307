package dev.sieve.sim.sat;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.sat.LoopOrder;
import dev.sieve.dataflow.sat.Pass;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.sat.Schedule;
import dev.sieve.dataflow.sat.Tiling;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.dataflow.workload.Topology;
import dev.sieve.dataflow.workload.TopologyReader;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SatModelTest {

    private static final SatConfig FAST_DRAM = SatConfig.of(4, 4).withDramBytesPerCycle(65536);
    private static final EnergyTable E = EnergyTable.horowitz45nm(NumberFormat.INT8_INT32);
    private static final Topology RESNET18 = TopologyReader.read(Path.of("../examples/topologies/resnet18_cifar10.csv"));

    private static PassGemm gemm(long k, long cout, long p, NmPattern pat) {
        return new PassGemm("g", 1, Pass.FORWARD, k, cout, p, pat, k * cout, k * p, cout * p, false, false);
    }

    /** The array's part of a pass (its data on chip): R + sum_(i<n-1) max(P, reload) + P + fill. */
    private static long array(SatConfig cfg, PassGemm g, int segments) {
        Schedule s = new Schedule(g, false, cfg, segments, g.vectors(), LoopOrder.OUTPUT_STATIONARY);
        assertTrue(Tiling.feasible(s));
        long array = SatModel.arrayCycles(s);
        assertTrue(SatModel.lowerBound(s) <= SatModel.evaluate(s, E).cycles(), "the scheduler's bound holds");
        return array;
    }

    private static long cycles(SatConfig cfg, PassGemm g, int segments) {
        Schedule s = new Schedule(g, false, cfg, segments, g.vectors(), LoopOrder.OUTPUT_STATIONARY);
        return SatModel.evaluate(s, E).cycles();
    }

    /**
     * The pass rule's cycles beyond the array's when memory never binds (INT8, accumulate latency 0,
     * memory latency 0, the first step's reads one cycle): before the array's count, the descriptor
     * check, the read address, the one cycle of reads and the buffer read (4); after it, the cycle the
     * last output leaves the array, its accumulation, the write address, the write beat and the
     * response (5).
     */
    private static final long FAST_DRAM_OVERHEAD = 9;

    @Test
    void denseTilesTakeTheFirstLoadPlusComputeEach() {
        // K = 64 over 4 rows x 4 lanes -> 4 k-tiles; Cout = 8 over 4 columns -> 2; 8 tiles of P = 20
        // vectors, each following the previous one's last vector (20 >= R and reload = C + D (R - 1) = 7), and
        // the last one's fill 4 + 4 - 1 + 2 = 9 (INT8: D = 1, X = 2 product stages)
        assertEquals(4 + 8 * 20 + 9, array(FAST_DRAM, gemm(64, 8, 20, NmPattern.DENSE), 1));
        assertEquals(4 + 8 * 20 + 9 + FAST_DRAM_OVERHEAD, cycles(FAST_DRAM, gemm(64, 8, 20, NmPattern.DENSE), 1));
    }

    @Test
    void sparseTilesAreFewerBySameCost() {
        // 2:8: a 4-row tile covers 64 positions -> 1 k-tile x 2 column tiles
        assertEquals(4 + 2 * 20 + 9, array(FAST_DRAM, gemm(64, 8, 20, NmPattern.parse("2:8")), 1));
        assertEquals(4 + 2 * 20 + 9 + FAST_DRAM_OVERHEAD, cycles(FAST_DRAM, gemm(64, 8, 20, NmPattern.parse("2:8")), 1));
    }

    @Test
    void twoSegmentsHalveTheFillAndRunTwoTilesPerStep() {
        // segments of 2 rows: 8 positions per segment tile -> 8 k-tiles x 2 = 16 tiles, 8 steps of
        // 20 + 2 + 4 - 1 + 2 = 27: steps of a pass with 2 segments do not overlap (the output buffer's
        // merge chain, TileTiming.stepsOverlap), each waits for the previous one's drain
        assertEquals(4 + 8 * 27, array(FAST_DRAM, gemm(64, 8, 20, NmPattern.DENSE), 2));
        assertEquals(4 + 8 * 27 + FAST_DRAM_OVERHEAD, cycles(FAST_DRAM, gemm(64, 8, 20, NmPattern.DENSE), 2));
    }

    @Test
    void bandwidthBoundTileWaitsForItsReadsAndWrites() {
        // one tile, INT8: reads W 16*4 + X 16*4 = 128 bytes, writes Y 4*4 = 16 bytes at 1 B/cycle;
        // P = 4, fill F = 4 + 4 - 1 + 2 = 9. Pass rule: data in at G = 1 + 1 + 0 + 128 = 130, the step
        // starts at G + 1 + R = 135; its first output is final at 135 + F + 3 = 147, the writes end at
        // 147 + 16 = 163, the response and idle 2 cycles later: 165 (the array alone: 4 + 13 = 17)
        SatConfig slow = FAST_DRAM.withDramBytesPerCycle(1);
        PassStats s = SatModel.evaluate(new Schedule(gemm(16, 4, 4, NmPattern.DENSE), false, slow, 1, 4,
                LoopOrder.OUTPUT_STATIONARY), E);
        assertEquals(144, s.dramBytes());
        assertEquals(165, s.cycles());
        assertEquals(165 - 17, s.stallCycles());
    }

    @Property(tries = 300)
    void denseModeDiffersFromScaleSimWsByTheDocumentedTerms(@ForAll @IntRange(min = 1, max = 16) int rows,
                                                          @ForAll @IntRange(min = 1, max = 16) int cols,
                                                          @ForAll @IntRange(min = 1, max = 300) int k,
                                                          @ForAll @IntRange(min = 1, max = 300) int cout,
                                                          @ForAll @IntRange(min = 1, max = 300) int p) {
        // single-MAC PEs, one segment, DRAM never binds: the array SCALE-Sim models
        SatConfig cfg = SatConfig.of(rows, cols).withMultipliersPerPe(1, List.of(NmPattern.DENSE)).withRowSegments(1)
                .withDramBytesPerCycle(65536);
        long sieve = array(cfg, gemm(k, cout, p, NmPattern.DENSE), 1);
        long folds = ScaleSimWs.folds(rows, cols, k, cout);
        // a fold follows the previous one's last vector, or its weights: R after the first fold's
        // instant start, reload R + C - 1 after a wave start; the last one's fill R + C - 1 + X
        long fill = rows + cols - 1 + SatConfig.PRODUCT_STAGES;
        long between = folds == 1 ? 0 : Math.max(p, rows) + (folds - 2) * Math.max(p, rows + cols - 1);
        assertEquals(rows + between + p + fill, sieve);
        if (p >= rows + cols - 1) {
            // SCALE-Sim's load R and fill R + C - 2 of every fold but the last are hidden
            assertEquals(ScaleSimWs.cycles(rows, cols, k, cout, p) - (folds - 1) * (2L * rows + cols - 2)
                    + 1 + SatConfig.PRODUCT_STAGES, sieve);
        }
    }

    @Test
    void scaleSimComparisonOnTheResnetLayer1Conv() {
        // K = 576, Cout = 64, P = 1024 on 32x32 single-MAC PEs: 18 x 2 = 36 folds.
        // SCALE-Sim: 36 * (64 + 32 + 1024 - 2) = 40,248; Sieve: 32 + 36 * 1024 + (32 + 32 - 1 + 2) = 36,961
        // (every fold's load and fill hidden behind the previous fold's stream, but the last fill)
        assertEquals(40_248, ScaleSimWs.cycles(32, 32, 576, 64, 1024));
        SatConfig cfg = SatConfig.of(32, 32).withMultipliersPerPe(1, List.of(NmPattern.DENSE)).withRowSegments(1)
                .withDramBytesPerCycle(65536);
        assertEquals(36_961, array(cfg, gemm(576, 64, 1024, NmPattern.DENSE), 1));
    }

    @Test
    void noPassRunsMoreThanMOverNFasterThanDense() {
        SatConfig cfg = SatConfig.of(32, 32);
        for (String nm : List.of("2:4", "2:8", "1:4", "1:8", "4:8")) {
            NmPattern p = NmPattern.parse(nm);
            SatResult sparse = SatModel.simulate(cfg, RESNET18, SatRun.training(p));
            SatResult dense = SatModel.simulate(cfg, RESNET18, SatRun.training(NmPattern.DENSE));
            for (int i = 0; i < sparse.passes().size(); i++) {
                PassStats s = sparse.passes().get(i);
                PassStats d = dense.passes().get(i);
                assertEquals(d.pass(), s.pass());
                assertTrue(s.cycles() * p.m() >= d.cycles() * p.n(), nm + " " + s.layer() + " " + s.pass());
            }
        }
    }

    @Test
    void trainingSpeedupStaysUnderTheIdealWhenThePassesAreEqual() {
        // a square GEMM layer: forward, data gradient and weight gradient all have K = Cout = P = 512
        SatConfig cfg = SatConfig.of(32, 32);
        Layer sq = Layer.gemm("sq", 512, 512, 512);
        for (String nm : List.of("2:4", "2:8", "1:4", "1:8")) {
            NmPattern p = NmPattern.parse(nm);
            long dense = 0;
            long sparse = 0;
            for (PassGemm g : Bdwp.trainingStep(sq, 1, 1, NmPattern.DENSE, false)) {
                dense += SatModel.pass(cfg, E, g).cycles();
            }
            for (PassGemm g : Bdwp.trainingStep(sq, 1, 1, p, false)) {
                sparse += SatModel.pass(cfg, E, g).cycles();
            }
            double speedup = (double) dense / sparse;
            assertTrue(speedup <= p.idealTrainingSpeedup(), nm + ": " + speedup);
            assertTrue(speedup >= 0.9 * p.idealTrainingSpeedup(), nm + ": " + speedup);
        }
    }

    @ParameterizedTest(name = "{0}: at least {1}x")
    @CsvSource({"2:8, 1.9", "2:4, 1.45", "1:4, 1.9", "1:8, 2.2"})
    void resnet18TrainingStepOn32x32MeetsTheTarget(String nm, double atLeast) {
        // issue 4's target: >= 1.75x at 2:8 (the SAT paper's average), aiming at 1.9x (now 1.916x;
        // 1:8 2.236x: overlapped steps of one-segment passes help dense, with 4x the steps, more)
        SatConfig cfg = SatConfig.of(32, 32);
        NmPattern p = NmPattern.parse(nm);
        SatResult sparse = SatModel.simulate(cfg, RESNET18, SatRun.training(p));
        SatResult dense = SatModel.simulate(cfg, RESNET18, SatRun.training(NmPattern.DENSE));
        // the GEMM passes and pre-generation (the step without its non-GEMM work, NonGemmStepTest)
        double speedup = (double) dense.gemmCycles() / sparse.gemmCycles();
        assertTrue(speedup >= atLeast, nm + ": " + speedup);
        // and never above the bound set by this dense split of cycles between the passes
        long fd = dense.cycles(Pass.FORWARD) + dense.cycles(Pass.DATA_GRADIENT);
        double bound = (double) dense.gemmCycles() / (fd * p.density() + dense.cycles(Pass.WEIGHT_GRADIENT));
        assertTrue(speedup <= bound, nm + ": " + speedup + " > " + bound);
    }

    @Test
    void interleaveMappingCutsCyclesOfSparseAndDense() {
        SatConfig on = SatConfig.of(32, 32);
        SatConfig off = on.withRowSegments(1);
        SatRun run = SatRun.training(NmPattern.parse("2:8"));
        // 1.90x at 2:8 and 1.42x dense (2.11x and 1.58x before steps of one-segment passes overlapped
        // their fill, which the segments used to shorten; segment passes do not overlap their steps)
        assertTrue(SatModel.simulate(on, RESNET18, run).gemmCycles() * 37
                < SatModel.simulate(off, RESNET18, run).gemmCycles() * 20);
        assertTrue(SatModel.simulate(on, RESNET18, run.dense()).gemmCycles()
                < SatModel.simulate(off, RESNET18, run.dense()).gemmCycles());
    }

    @Test
    void forwardOnlyRunHasOnlyForwardPassesAndNoPregeneration() {
        SatResult r = SatModel.simulate(SatConfig.of(16, 16), RESNET18,
                new SatRun(1, NmPattern.parse("2:4"), false, dev.sieve.dataflow.sat.BackwardMaskSource.DENSE));
        assertEquals(21, r.passes().size());
        assertTrue(r.passes().stream().allMatch(s -> s.pass() == Pass.FORWARD));
        assertTrue(r.pregen().isEmpty());
        assertEquals(r.arrayCycles(), r.gemmCycles());
        // the whole forward pass: the GEMMs and each layer's non-GEMM work after it, nothing else
        assertEquals(21, r.vector().size());
        assertEquals(r.gemmCycles() + r.exposedCycles(dev.sieve.dataflow.sat.NonGemmWork.Phase.FORWARD), r.totalCycles());
    }

    @Test
    void trainingStepHasEveryPassAndPregenerationMostlyHidden() {
        SatResult r = SatModel.simulate(SatConfig.of(32, 32), RESNET18, SatRun.training(NmPattern.parse("2:8")));
        assertEquals(21 + 20 + 21, r.passes().size());
        assertEquals(21, r.pregen().size());
        assertTrue(r.exposedPregenCycles() < r.gemmCycles() / 100, "pre-generation hides behind the backward pass");
        assertTrue(r.energyPj() > 0);
        for (PassStats s : r.passes()) {
            assertTrue(s.utilization() > 0 && s.utilization() <= 1, s.layer() + " " + s.pass());
        }
    }

    @Test
    void layerSparsityColumnOverridesTheDefaultPattern() {
        Topology t = new Topology("t", List.of(Layer.conv("a", 10, 10, 3, 3, 64, 64, 1).withSparsity(NmPattern.DENSE),
                Layer.conv("b", 10, 10, 3, 3, 64, 64, 1)));
        SatResult r = SatModel.simulate(SatConfig.of(8, 8), t, SatRun.training(NmPattern.parse("1:4")));
        assertEquals(NmPattern.DENSE, r.passes().get(0).pattern());
        assertEquals(NmPattern.parse("1:4"), r.passes().get(1).pattern());
    }
}
