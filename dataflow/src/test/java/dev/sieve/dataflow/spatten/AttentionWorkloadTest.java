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
        assertEquals(1, w.queries(0), "step 0 is the first generated token over 993 tokens, one query");
        assertEquals(1, w.queries(1));
        assertEquals(false, w.summarization());
    }

    @Test
    void bertSummarizesOnce() {
        AttentionWorkload w = AttentionWorkload.bertLarge(384);
        assertEquals(1, w.iterations());
        assertEquals(384, w.sequenceLength(0));
        assertEquals(64, w.headDim());
        assertEquals(24, w.layers());
        assertEquals(true, w.summarization());
        assertEquals(384, w.queries(0), "every token is a query");
    }

    @Test
    void aSynthesizedSummarizationKeepsEveryKeptKeysValueRow() {
        // SpAtten's BERT behaviour model has no local V pruning: values = keys in every row, while
        // a generation step keeps floor(keys x (1 - 0.8)) of them
        dev.sieve.arch.spatten.SpAttenConfig hw = dev.sieve.arch.spatten.SpAttenConfig.paper();
        AttentionTrace bert = AttentionTrace.synthesize(AttentionWorkload.bertBase(384), hw, SpAttenPolicy.paper(), 0);
        org.junit.jupiter.api.Assertions.assertTrue(bert.summarization());
        for (TraceRow r : bert.rows()) {
            assertEquals(r.keysFetched(), r.valuesFetched());
        }
        AttentionTrace gpt = AttentionTrace.synthesize(AttentionWorkload.gpt2Small(), hw, SpAttenPolicy.paper(), 0);
        assertEquals(false, gpt.summarization());
        TraceRow first = gpt.rows().get(0);
        assertEquals(993, first.keysFetched(), "no token pruning in the first 15% of layers");
        assertEquals(198, first.valuesFetched(), "floor(993 x 0.2)");
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
