package dev.sieve.dataflow.sat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.dataflow.workload.PostOp;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each kind of non-GEMM work counted by hand. The layer: a 3 x 3 convolution of 4 into 8 channels on a
 * 10 x 10 input, so an 8 x 8 x 8 output; at batch 2 that is E = 1,024 elements; INT8 operands (1 byte),
 * INT32 accumulators (4 bytes).
 */
class NonGemmWorkTest {

    private static final Layer CONV = Layer.conv("c", 10, 10, 3, 3, 4, 8, 1);
    private static final NumberFormat INT8 = NumberFormat.INT8_INT32;
    private static final long BIG = 1 << 20;
    private static final long SMALL = 512;

    private static NonGemmWork.Part only(NonGemmWork.Job j) {
        assertEquals(1, j.parts().size());
        return j.parts().get(0);
    }

    private static NonGemmWork.Job fwd(String ops, long buffer) {
        return NonGemmWork.forward(CONV, 0, PostOp.parseList(ops), 2, INT8, buffer);
    }

    private static NonGemmWork.Job bwd(String ops, long buffer) {
        return NonGemmWork.backward(CONV, 0, PostOp.parseList(ops), 2, INT8, buffer);
    }

    @Test
    void batchNormForwardReadsOnceWhenItFitsAndTwiceWhenNot() {
        // 3 ops/element + 8/channel = 3,072 + 64; reads the GEMM output (1,024 B) + 16 B x 8 channels of
        // parameters; writes 8 B x 8 channels of running statistics + the result (1,024 B)
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.BN, 3_136, 1_152, 1_088), only(fwd("bn", BIG)));
        // a 1,024-byte tensor in a 512-byte buffer: the normalization reads it again
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.BN, 3_136, 2_176, 1_088), only(fwd("bn", SMALL)));
    }

    @Test
    void batchNormBackwardReadsItsInputAndGradient() {
        // 6 ops/element + 8/channel; reads dy (1,024) + x (1,024) + parameters (128), and when x and dy
        // (2,048 B) do not fit, both again; writes dx (1,024) + dγ, dβ (64)
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.BN, 6_208, 2_176, 1_088), only(bwd("bn", BIG)));
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.BN, 6_208, 4_224, 1_088), only(bwd("bn", SMALL)));
    }

    @Test
    void reluKeepsOneMaskBitPerElement() {
        // forward: 1 op/element, reads E, writes E + E/8 mask bytes; backward reads dy + the mask, writes dx
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.RELU, 1_024, 1_024, 1_152), only(fwd("relu", BIG)));
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.RELU, 1_024, 1_152, 1_024), only(bwd("relu", BIG)));
    }

    @Test
    void residualAddReadsTheShortcutAndCopiesTheGradientToIt() {
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.ADD, 1_024, 2_048, 1_024), only(fwd("add", BIG)));
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.ADD, 1_024, 1_024, 2_048), only(bwd("add", BIG)));
    }

    @Test
    void poolingShrinksTheResultAndMaxPoolingKeepsItsIndices() {
        // max-pool 2: 1 compare per input (1,024); 4 x 4 x 8 x 2 = 256 outputs of 1 byte + 2 index bits each
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.POOL, 1_024, 1_024, 256 + 64), only(fwd("maxpool2", BIG)));
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.POOL, 1_024, 256 + 64, 1_024), only(bwd("maxpool2", BIG)));
        // average pooling: 1 add per input + 1 scale per output, no indices; global: 16 outputs (8 x 2)
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.POOL, 1_280, 1_024, 256), only(fwd("avgpool2", BIG)));
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.POOL, 1_040, 1_024, 16), only(fwd("gap", BIG)));
        // max-pool 4: ceil(log2 16) = 4 bits per output, 32 outputs
        assertEquals(16, NonGemmWork.indexBytes(32, 4));
    }

    @Test
    void softmaxAndLossMakeTheGradientInTheForwardJob() {
        // a 512 -> 10 classifier at batch 4: E = 40; 6 ops/element; reads 40 logits + 4 B of label per image,
        // writes the 40-element gradient; the backward job is empty (dgrad reads that gradient)
        Layer fc = Layer.gemm("fc", 4, 10, 512);
        NonGemmWork.Job f = NonGemmWork.forward(fc, 1, PostOp.parseList("softmax"), 1, INT8, BIG);
        assertEquals(new NonGemmWork.Part(NonGemmWork.Kind.SOFTMAX_LOSS, 240, 40 + 4, 40), only(f));
        assertTrue(NonGemmWork.backward(fc, 1, PostOp.parseList("softmax"), 1, INT8, BIG).isEmpty());
    }

    @Test
    void aFusedChainReadsItsInputOnceAndWritesItsResultOnce() {
        NonGemmWork.Job j = fwd("bn+relu+maxpool2", BIG);
        // reads: the GEMM output 1,024 + BN parameters 128; writes: BN statistics 64, mask 128, indices 64,
        // the pooled result 256
        assertEquals(1_152, j.readBytes());
        assertEquals(64 + 128 + 64 + 256, j.writeBytes());
        assertEquals(3_136 + 1_024 + 1_024, j.ops());
        NonGemmWork.Job b = bwd("bn+relu+maxpool2", BIG);
        // reads: dy 256 + indices 64 + mask 128 + x 1,024 + parameters 128; writes dx 1,024 + 64
        assertEquals(256 + 64 + 128 + 1_024 + 128, b.readBytes());
        assertEquals(1_024 + 64, b.writeBytes());
        assertEquals(List.of(NonGemmWork.Kind.POOL, NonGemmWork.Kind.RELU, NonGemmWork.Kind.BN),
                b.parts().stream().map(NonGemmWork.Part::kind).toList());
    }

    @Test
    void theUpdateMovesTwentyBytesPerWeightAndNmAddsTheDecayAndTheMask() {
        // 8 x 36 = 288 weights + 2 x 8 BN parameters = 304; 3 ops each; reads W and v (4 B each) and dW
        // (INT32, 4 B) = 12 B, writes W and v = 8 B
        List<PostOp> bn = PostOp.parseList("bn+relu");
        NonGemmWork.Job dense = NonGemmWork.update(CONV, 0, bn, NmPattern.DENSE, INT8);
        assertEquals(List.of(new NonGemmWork.Part(NonGemmWork.Kind.UPDATE, 912, 3_648, 2_432)), dense.parts());
        // 2:8: SR-STE's λ(1-mask)⊙W, 1 op per weight (288), and the mask's 1 bit per weight each way (36 B)
        NonGemmWork.Job nm = NonGemmWork.update(CONV, 0, bn, new NmPattern(2, 8), INT8);
        assertEquals(List.of(new NonGemmWork.Part(NonGemmWork.Kind.UPDATE, 912, 3_648, 2_432),
                new NonGemmWork.Part(NonGemmWork.Kind.SRSTE_DECAY, 288, 0, 0),
                new NonGemmWork.Part(NonGemmWork.Kind.MASK, 0, 36, 36)), nm.parts());
    }
}
