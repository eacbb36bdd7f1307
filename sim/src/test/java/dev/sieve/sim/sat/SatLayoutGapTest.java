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
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.dataflow.workload.Topology;
import dev.sieve.dataflow.workload.TopologyReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SatLayoutGapTest {
    private static final Topology FMNIST = TopologyReader.read(Path.of("../examples/topologies/fmnist_cnn.csv"));
    private static final int TERMS = SatLayoutGap.Term.values().length;

    /** The accelerator {@code simulate cosim sat} builds: dense plus {@code p}, 16 B/cycle, 512 KiB buffers. */
    private static SatConfig accelerator(int rows, int cols, NumberFormat f, NmPattern p) {
        List<NmPattern> built = p.isDense() ? List.of(NmPattern.DENSE) : List.of(NmPattern.DENSE, p);
        return new SatConfig(rows, cols, 4, built, f, 512, 512, 512, 16, 200, 1);
    }

    /**
     * With no term taken away the rule is the accelerator's ({@link SatModel#acceleratorCycles}, which
     * the co-simulation holds cycle-exact); with all of them taken away it is the model's own traffic
     * fed to the same pass rule, so it equals {@link SatModel#pass}: the terms account for the whole gap.
     */
    @ParameterizedTest
    @CsvSource({"8, 8, int8, 2:8", "8, 8, bf16, 2:8", "8, 8, int8, dense", "16, 16, int8, 1:4", "16, 16, bf16, 2:4"})
    void theTermsSpanTheAcceleratorAndTheModel(int rows, int cols, String format, String nm) {
        NmPattern p = NmPattern.parse(nm);
        SatConfig cfg = accelerator(rows, cols, NumberFormat.parse(format), p);
        EnergyTable e = EnergyTable.horowitz45nm(cfg.format());
        List<PassGemm> passes = new ArrayList<>();
        for (int i = 0; i < FMNIST.layers().size(); i++) {
            Layer l = FMNIST.layers().get(i);
            passes.addAll(Bdwp.trainingStep(l, i, 1, l.sparsity() != null && !p.isDense() ? l.sparsity() : p, i == 0));
        }
        for (PassGemm g : passes) {
            PassStats model = SatModel.pass(cfg, e, g);
            Schedule s = model.schedule();
            String what = g.layer() + " " + g.pass().label();
            assertEquals(SatModel.acceleratorCycles(s, 0), SatLayoutGap.cycles(s, 0), what);
            assertEquals(model.cycles(), SatLayoutGap.cycles(s, TERMS), what);
            for (int t = 1; t <= TERMS; t++) {
                assertEquals(true, SatLayoutGap.cycles(s, t) <= SatLayoutGap.cycles(s, t - 1),
                        what + ": taking away a term never adds cycles");
            }
        }
    }

    /**
     * A dense pass on a 4x4 INT8 accelerator built for 2:8 (buffer words of lanes = kPerPe(2:8) = 16
     * values per row, 11-bit weight entries) moves the words of a dense pass: activation words of
     * 4 x 4 bytes, one beat (4 beats in 2:8 words), weight words of 4 x 4 bytes. So it takes the cycles
     * of the same pass on a dense-only accelerator. One step of 256 vectors (K = 16 = one reduction
     * group, 4 outputs = one column tile) is bound by its reads: before the words were sized per pass
     * it took 256 x (4 - 1) = 768 cycles more.
     */
    @Test
    void aDensePassMovesDenseWordsWhateverPatternsWereBuilt() {
        PassGemm g = new PassGemm("g", 1, Pass.WEIGHT_GRADIENT, 16, 4, 256, NmPattern.DENSE, 64, 16 * 256, 4 * 256,
                false, true);
        SatConfig wideCfg = accelerator(4, 4, NumberFormat.INT8_INT32, new NmPattern(2, 8));
        Schedule wide = new Schedule(g, false, wideCfg, 1, 256, LoopOrder.OUTPUT_STATIONARY);
        Schedule dense = new Schedule(g, false, accelerator(4, 4, NumberFormat.INT8_INT32, NmPattern.DENSE), 1,
                256, LoopOrder.OUTPUT_STATIONARY);
        assertEquals(SatModel.acceleratorCycles(dense, 0), SatModel.acceleratorCycles(wide, 0));
        dev.sieve.hdl.sat.SatAcceleratorLayout layout = dev.sieve.hdl.sat.SatAcceleratorLayout.of(wideCfg);
        assertEquals(4 * 16 * 8, layout.actBits(), "the buffer word: R x lanes values");
        assertEquals(4 * 4 * 8, layout.actBits(NmPattern.DENSE), "the dense pass's DRAM word: R x kPerPe values");
        assertEquals(4 * 4 * 8, layout.weightBits(NmPattern.DENSE), "C x L values, no index");
        assertEquals(4 * 4 * (8 + 3), layout.weightBits(new NmPattern(2, 8)), "C x L values with 3 index bits");
        // the one step's reads: 4 weight words of 1 beat (2 in 11-bit entries) and 256 activation words
        // of 1 beat (4 in 2:8 words); everything after the reads shifts with them
        assertEquals(4 * (2 - 1) + 256 * (4 - 1), cyclesWithWordsOf(wide, 2, 4) - SatModel.acceleratorCycles(wide, 0));
    }

    /** The pass rule of {@code s} (one chunk, one step) with weight and activation words of the given beats. */
    private static long cyclesWithWordsOf(Schedule s, int weightBeats, int actBeats) {
        TileTiming.PassClock clock = new TileTiming.PassClock(s.config(), s.config().rows(), 0, 0);
        long p = s.gemm().vectors();
        clock.step(p, (long) s.config().rows() * weightBeats + p * actBeats, p);
        return clock.cycles();
    }
}
