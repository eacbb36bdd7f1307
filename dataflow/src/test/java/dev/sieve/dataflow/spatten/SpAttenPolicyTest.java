package dev.sieve.dataflow.spatten;

import dev.sieve.arch.spatten.SpAttenConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policy is the one switchboard of a SpAtten run; it rejects bad settings naming field, value and range. */
class SpAttenPolicyTest {

    @Test
    void paperPolicyQuantizesProgressivelyOnThePaperHardwareAndDenseDoesNot() {
        SpAttenConfig hw = SpAttenConfig.paper();
        SpAttenPolicy p = SpAttenPolicy.paper();
        assertTrue(p.progressiveQuantization(hw), "8 MSBs of a 12-bit word first");
        assertFalse(p.dense().progressiveQuantization(hw));
        assertEquals(p.tokenPruneRatio(), p.dense().tokenPruneRatio(), "switches off, settings kept");
    }

    @Test
    void breakdownAddsOneTechniquePerStep() {
        List<SpAttenPolicy.Step> b = SpAttenPolicy.paper().breakdown();
        assertEquals(List.of("dedicated datapath (dense)", "+ cascade pruning, conventional top-k", "+ top-k engine",
                "+ progressive quantization"), b.stream().map(SpAttenPolicy.Step::label).toList());
        assertEquals(SpAttenPolicy.paper().dense(), b.get(0).policy());
        assertEquals(SpAttenPolicy.paper(), b.get(3).policy());
        assertTrue(b.get(1).policy().pruning() && !b.get(1).policy().topkEngine());
        assertTrue(b.get(2).policy().topkEngine() && !b.get(2).policy().quantization());
    }

    @Test
    void pruningRatioOfOneAndNegativeRatiosAreRejected() {
        assertEquals("token_prune_ratio = 1.0 is out of range; allowed [0, 1)", assertThrows(
                IllegalArgumentException.class, () -> SpAttenPolicy.paper().withPruning(1.0, 0, 0)).getMessage());
        assertEquals("value_prune_ratio = -0.1 is out of range; allowed [0, 1)", assertThrows(
                IllegalArgumentException.class, () -> SpAttenPolicy.paper().withPruning(0.1, 0.1, -0.1)).getMessage());
    }

    @Test
    void msbAndLsbMustFitTheHardwaresWord() {
        SpAttenPolicy p = new SpAttenPolicy(true, true, true, 0.5, 0.2, 0.5, 0.15, 0.3, 8, 5, 0.1);
        assertEquals("lsb_bits = 5 is out of range; allowed 0 .. 4", assertThrows(IllegalArgumentException.class,
                () -> p.requireFits(SpAttenConfig.paper())).getMessage());
        SpAttenPolicy wide = new SpAttenPolicy(true, true, true, 0.5, 0.2, 0.5, 0.15, 0.3, 13, 0, 0.1);
        assertEquals("msb_bits = 13 is out of range; allowed 1 .. 12", assertThrows(
                IllegalArgumentException.class, () -> wide.requireFits(SpAttenConfig.paper())).getMessage());
        assertEquals("msb_bits = 0 is out of range; allowed 1 .. word_bits", assertThrows(IllegalArgumentException.class,
                () -> new SpAttenPolicy(true, true, true, 0.5, 0.2, 0.5, 0.15, 0.3, 0, 0, 0.1)).getMessage());
    }
}
