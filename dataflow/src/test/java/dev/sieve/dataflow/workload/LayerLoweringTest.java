package dev.sieve.dataflow.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Conv to GEMM: P = outH*outW*batch, K = Fh*Fw*C, Cout = F, with out = floor((in - F)/S) + 1 on padded sizes. */
class LayerLoweringTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name, H, W, Fh, Fw, C, F, S, outH, P, K
        "resnet conv1 (pad 1 in 34x34), 34, 34, 3, 3, 3, 64, 1, 32, 1024, 27",
        "stride-2 3x3, 34, 34, 3, 3, 64, 128, 2, 16, 256, 576",
        "1x1 stride-2 shortcut, 32, 32, 1, 1, 64, 128, 2, 16, 256, 64",
        "last block, 6, 6, 3, 3, 512, 512, 1, 4, 16, 4608",
        "fc as 1x1, 1, 1, 1, 1, 512, 10, 1, 1, 1, 512",
        "odd size floors, 7, 7, 3, 3, 1, 1, 2, 3, 9, 9",
    })
    void lowersToGemmShapes(String name, int h, int w, int fh, int fw, int c, int f, int s, int outH, long p, int k) {
        Layer l = Layer.conv(name, h, w, fh, fw, c, f, s);
        assertEquals(outH, l.outH());
        assertEquals(p, l.vectors(1));
        assertEquals(4 * p, l.vectors(4));
        assertEquals(k, l.reduction());
        assertEquals(f, l.outputs());
        assertEquals(p * k * f, l.macs(1));
    }
}
