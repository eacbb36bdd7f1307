package dev.sieve.sim.sat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.arch.sat.SatVectorUnit;
import dev.sieve.dataflow.sat.NonGemmWork;
import dev.sieve.dataflow.sat.Pass;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.dataflow.workload.PostOp;
import dev.sieve.dataflow.workload.Topology;
import dev.sieve.dataflow.workload.TopologyReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The whole training step: the vector unit's jobs, how they are timed against the array, and the bound. */
class NonGemmStepTest {

    private static final Topology RESNET18 = TopologyReader.read(Path.of("../examples/topologies/resnet18_cifar10_step.csv"));
    private static final SatRun TWO_OF_EIGHT = SatRun.training(new NmPattern(2, 8));

    /** totalCycles is the array, the forward and backward jobs, the updates' tail and pre-generation's tail. */
    private static void assertComposition(SatResult r) {
        assertEquals(r.arrayCycles() + r.exposedCycles(NonGemmWork.Phase.FORWARD)
                + r.exposedCycles(NonGemmWork.Phase.BACKWARD) + r.exposedCycles(NonGemmWork.Phase.UPDATE)
                + r.tailPregenCycles(), r.totalCycles());
    }

    @Test
    void aJobTakesTheLongerOfItsOperationsAndItsBytes() {
        // the 512 -> 10 classifier's softmax at batch 1: 60 ops, 10 + 4 bytes read, 10 written
        Topology t = new Topology("t", List.of(Layer.gemm("fc", 1, 10, 512).withPost(List.of(PostOp.of(PostOp.Kind.SOFTMAX)))));
        SatConfig cfg = SatConfig.of(8, 8);
        // 1 lane of 1 op: 60 cycles; 24 bytes at 384 B/cycle: 1 cycle
        SatResult compute = SatModel.simulate(cfg, new SatVectorUnit(1, 1, 64), t, TWO_OF_EIGHT.dense());
        assertEquals(60, compute.vector().get(0).busyCycles());
        // 64 lanes: 1 cycle; at 1/4 byte per cycle the 24 bytes take 96
        SatResult memory = SatModel.simulate(cfg.withDramBytesPerCycle(0.25), new SatVectorUnit(64, 1, 64), t,
                TWO_OF_EIGHT.dense());
        assertEquals(96, memory.vector().get(0).busyCycles());
    }

    @Test
    void forwardAndBackwardJobsAreOnTheCriticalPathAndTheFirstLayersUpdateIsAllExposed() {
        SatResult r = SatModel.simulate(SatConfig.of(32, 32), RESNET18, TWO_OF_EIGHT);
        assertComposition(r);
        for (VectorStats v : r.vector()) {
            if (v.job().phase() != NonGemmWork.Phase.UPDATE) {
                assertEquals(v.busyCycles(), v.exposedCycles(), v.job().layer() + " " + v.job().phase());
            }
        }
        // conv1's update is released after the step's last pass: nothing left to hide it behind
        VectorStats conv1 = r.vector().stream().filter(v -> v.job().phase() == NonGemmWork.Phase.UPDATE
                && v.job().layerIndex() == 0).findFirst().orElseThrow();
        assertEquals(conv1.busyCycles(), conv1.exposedCycles());
        // 3 x 3 x 3 x 64 = 1,728 weights + 128 BN parameters: 3 ops each + 2:8's decay (1,728):
        // 7,296 ops on 64 lanes = 114 cycles; bytes 1,856 x 20 + 2 x 216 = 37,552 at 384 B/cycle = 98
        assertEquals(114, conv1.busyCycles());
    }

    @Test
    void updatesHideBehindLongBackwardPassesAndShowBehindShortOnes() {
        // batch 128: every layer's update but conv1's finishes while the lower layers' passes run
        SatConfig cfg = SatConfig.of(32, 32);
        SatResult big = SatModel.simulate(cfg, RESNET18, new SatRun(128, new NmPattern(2, 8), true,
                TWO_OF_EIGHT.backwardMask()));
        assertComposition(big);
        long exposedButConv1 = big.vector().stream().filter(v -> v.job().phase() == NonGemmWork.Phase.UPDATE
                && v.job().layerIndex() > 0).mapToLong(VectorStats::exposedCycles).sum();
        assertEquals(0, exposedButConv1);
        // batch 1: the 11.2 M weights' 20 B each (224 MB, 584 k cycles at 384 B/cycle) against 343 k cycles of
        // GEMM passes that themselves use part of the bandwidth: most of the update is exposed
        SatResult one = SatModel.simulate(cfg, RESNET18, TWO_OF_EIGHT);
        long updates = one.exposedCycles(NonGemmWork.Phase.UPDATE);
        long alone = one.vector().stream().filter(v -> v.job().phase() == NonGemmWork.Phase.UPDATE)
                .mapToLong(VectorStats::busyCycles).sum();
        assertTrue(updates > alone / 2 && updates <= alone, updates + " of " + alone);
    }

    @Test
    void theStepWithoutNonGemmWorkIsTheGemmModelUnchanged() {
        // the same topology without its Post Ops column: the GEMM part is independent of the non-GEMM work
        Topology plain = TopologyReader.read(Path.of("../examples/topologies/resnet18_cifar10.csv"));
        SatConfig cfg = SatConfig.of(32, 32);
        SatResult given = SatModel.simulate(cfg, RESNET18, TWO_OF_EIGHT);
        SatResult inferred = SatModel.simulate(cfg, plain, TWO_OF_EIGHT);
        assertEquals(given.gemmCycles(), inferred.gemmCycles());
        assertEquals(given.arrayCycles() + given.exposedPregenCycles(), given.gemmCycles());
        assertTrue(given.totalCycles() > given.gemmCycles());
    }

    @Test
    void theShareByKindAddsUpToTheNonGemmCycles() {
        SatConfig cfg = SatConfig.of(32, 32);
        SatResult r = SatModel.simulate(cfg, RESNET18, new SatRun(16, new NmPattern(2, 8), true,
                TWO_OF_EIGHT.backwardMask()));
        double kinds = r.exposedByKind(cfg.dramBytesPerCycle()).values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(r.totalCycles() - r.arrayCycles() - r.tailPregenCycles(), kinds, 1e-6 * r.totalCycles());
    }

    private static final List<String> OPS = List.of("bn+relu", "relu", "bn", "bn+add+relu", "bn+relu+maxpool2",
            "relu+avgpool2", "none", "");

    /**
     * The bound: a whole step is never faster than dense by more than the GEMM passes allow,
     * 3/(2N/M+1), or, where the dense forward and data gradient take longer than the weight gradient (small
     * batches), the bound of that dense split, dense / ((fwd + dgrad) N/M + wgrad) — what the step adds to
     * the array (non-GEMM work, pre-generation) only pulls the speedup down, since it costs sparse the same
     * or more (the updates have less array time to hide behind, and N:M adds SR-STE's decay and mask).
     */
    @Property(tries = 60)
    void theWholeStepsSpeedupNeverExceedsTheGemmBound(@ForAll @IntRange(min = 1, max = 4) int layerCount,
                                                       @ForAll @IntRange(min = 0, max = 3) int patternIndex,
                                                       @ForAll @IntRange(min = 1, max = 8) int batch,
                                                       @ForAll @IntRange(min = 1, max = 256) int lanes,
                                                       @ForAll @IntRange(min = 2, max = 4) int arrayLog,
                                                       @ForAll long seed) {
        Random rnd = new Random(seed);
        List<Layer> layers = new ArrayList<>();
        int channels = 1 + rnd.nextInt(32);
        for (int i = 0; i < layerCount; i++) {
            int size = 4 + 2 * rnd.nextInt(6);
            int filters = 8 * (1 + rnd.nextInt(8));
            Layer l = Layer.conv("l" + i, size + 2, size + 2, 3, 3, channels, filters, 1);
            String ops = i == layerCount - 1 ? "softmax" : OPS.get(rnd.nextInt(OPS.size()));
            layers.add(ops.isEmpty() ? l : l.withPost(PostOp.parseList(ops)));
            channels = filters;
        }
        Topology t = new Topology("random", layers);
        NmPattern p = List.of(new NmPattern(2, 4), new NmPattern(2, 8), new NmPattern(1, 4), new NmPattern(1, 8))
                .get(patternIndex);
        SatConfig cfg = SatConfig.of(1 << arrayLog, 1 << arrayLog).withDramBytesPerCycle(8 + rnd.nextInt(512));
        SatVectorUnit vu = new SatVectorUnit(lanes, 1, 1 + rnd.nextInt(512));
        SatRun run = new SatRun(batch, p, true, TWO_OF_EIGHT.backwardMask());
        SatResult sparse = SatModel.simulate(cfg, vu, t, run);
        SatResult dense = SatModel.simulate(cfg, vu, t, run.dense());
        assertComposition(sparse);
        assertComposition(dense);
        double whole = (double) dense.totalCycles() / sparse.totalCycles();
        double array = (double) dense.arrayCycles() / sparse.arrayCycles();
        long fd = dense.cycles(Pass.FORWARD) + dense.cycles(Pass.DATA_GRADIENT);
        double split = dense.gemmCycles() / (fd * p.density() + dense.cycles(Pass.WEIGHT_GRADIENT));
        // what the step adds to the array's cycles (non-GEMM work, pre-generation) costs sparse at least dense
        long addedSparse = sparse.totalCycles() - sparse.arrayCycles();
        long addedDense = dense.totalCycles() - dense.arrayCycles();
        assertTrue(addedSparse >= addedDense, "beyond the array, sparse " + addedSparse + " < dense " + addedDense);
        assertTrue(whole <= Math.max(array, 1.0) + 1e-9, "whole " + whole + " > the array's own " + array);
        assertTrue(whole <= Math.max(p.idealTrainingSpeedup(), split) + 1e-9,
                "whole " + whole + " > max(ideal " + p.idealTrainingSpeedup() + ", split bound " + split + ")");
    }
}
