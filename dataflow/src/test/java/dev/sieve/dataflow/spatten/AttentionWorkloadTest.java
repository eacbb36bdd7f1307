package dev.sieve.dataflow.spatten;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Workload presets follow the published model shapes and the paper's GPT-2 prompt/generation split. */
class AttentionWorkloadTest {

    @Test
    void gpt2SmallHas12LayersOf12HeadsOfDim64AndSeesTokens993To1024() {
        AttentionWorkload w = AttentionWorkload.gpt2Small();
        assertEquals(64, w.headDim());
        assertEquals(32, w.iterations());
        assertEquals(993, w.sequenceLength(0), "the recorded traces start at L = 993");
        assertEquals(1024, w.sequenceLength(31));
        assertEquals(993, w.queries(0));
        assertEquals(1, w.queries(1));
    }

    @Test
    void bertSummarizesOnce() {
        AttentionWorkload w = AttentionWorkload.bertLarge(384);
        assertEquals(1, w.iterations());
        assertEquals(384, w.sequenceLength(0));
        assertEquals(64, w.headDim());
        assertEquals(24, w.layers());
    }

    @Test
    void headDimensionsThatDoNotDivideAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AttentionWorkload("odd", 12, 12, 770, 128, 0));
        assertEquals("model_dim = 770 does not divide into heads = 12; the head dimension must be a whole number",
                e.getMessage());
    }

    @Test
    void unknownPresetNamesTheAllowedOnes() {
        assertEquals("unknown workload 'gpt3'; allowed: gpt2-small, gpt2-medium, bert-base, bert-large",
                assertThrows(IllegalArgumentException.class, () -> AttentionWorkload.named("gpt3", 128)).getMessage());
    }
}
