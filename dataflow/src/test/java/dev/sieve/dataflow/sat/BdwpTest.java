package dev.sieve.dataflow.sat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.workload.Layer;
import java.util.List;
import org.junit.jupiter.api.Test;

class BdwpTest {

    private static final Layer L = Layer.conv("l", 18, 18, 3, 3, 128, 256, 2); // out 8x8, K = 1152, F = 256, P = 64
    private static final NmPattern P28 = NmPattern.parse("2:8");

    @Test
    void forwardReducesOverInputChannelsWithTheNmWeights() {
        PassGemm f = Bdwp.forward(L, 3, 1, P28);
        assertEquals(List.of(1152L, 256L, 64L), List.of(f.reduction(), f.outputs(), f.vectors()));
        assertEquals(P28, f.pattern());
        assertEquals(18L * 18 * 128, f.streamedElements());
        assertEquals(64L * 256, f.outputElements());
    }

    @Test
    void dataGradientReducesOverOutputChannelsWithWTransposed() {
        PassGemm d = Bdwp.dataGradient(L, 3, 1, P28);
        assertEquals(List.of(256L, 1152L, 64L), List.of(d.reduction(), d.outputs(), d.vectors()));
        assertEquals(P28, d.pattern());
        assertEquals(18L * 18 * 128, d.outputElements(), "col2im folds dX back to the raw input size");
    }

    @Test
    void weightGradientIsDenseReducesOverPixelsAndMayTranspose() {
        PassGemm w = Bdwp.weightGradient(L, 3, 1);
        assertEquals(List.of(64L, 256L, 1152L), List.of(w.reduction(), w.outputs(), w.vectors()));
        assertTrue(w.pattern().isDense());
        assertTrue(w.outputAtAccumulator());
        PassGemm t = w.transposed();
        assertEquals(List.of(64L, 1152L, 256L), List.of(t.reduction(), t.outputs(), t.vectors()));
        assertEquals(w.streamedElements(), t.stationaryElements());
    }

    @Test
    void allThreePassesDoTheSameDenseWork() {
        List<PassGemm> step = Bdwp.trainingStep(L, 3, 2, P28, false);
        assertEquals(3, step.size());
        for (PassGemm g : step) {
            assertEquals(L.macs(2), g.macs(), g.pass().label());
        }
        assertEquals(L.macs(2) / 4, step.get(0).effectiveMacs());
    }

    @Test
    void firstLayerHasNoDataGradient() {
        List<PassGemm> step = Bdwp.trainingStep(L, 0, 1, P28, true);
        assertEquals(List.of(Pass.FORWARD, Pass.WEIGHT_GRADIENT), step.stream().map(PassGemm::pass).toList());
        assertFalse(step.get(0).transposable());
    }
}
