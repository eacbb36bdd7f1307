package dev.sieve.driver;

import dev.sieve.arch.fp.Fp32Ops;

/**
 * The plain reference GEMM, one output at a time, in a stated reduction order: the reduction is cut
 * into tiles of {@code kTile} positions; each tile's products are added left to right onto a zero
 * partial sum (the chain of PEs down a column of the array), and the tile sums are added, in tile
 * order, onto a zero output (the output buffer accumulating across reduction tiles). Entries of A
 * that are not kept are skipped (the sparse array never multiplies them). In {@link Arithmetic#BF16_FP32}
 * the operands are rounded with {@link Bf16Rounding} and every product and sum is Sieve's datapath
 * arithmetic ({@link Fp32Ops#mulBf16}, {@link Fp32Ops#add}); in {@link Arithmetic#FP32} they are Java
 * {@code float} operations.
 */
public final class ExactGemm {
    private ExactGemm() {
    }

    /** All of {@code c = a * b}. */
    public static void run(Arithmetic ar, Operand a, Matrix b, Matrix c, int kTile) {
        for (int i = 0; i < c.rows(); i++) {
            for (int j = 0; j < c.cols(); j++) {
                c.buffer().host()[i * c.cols() + j] = one(ar, a, b, i, j, kTile);
            }
        }
    }

    /** Output (i, j). */
    public static float one(Arithmetic ar, Operand a, Matrix b, int i, int j, int kTile) {
        int k = a.matrix().cols();
        Matrix am = a.matrix();
        if (ar == Arithmetic.FP32) {
            float out = 0f;
            for (int t = 0; t < k; t += kTile) {
                float part = 0f;
                for (int kk = t, e = Math.min(k, t + kTile); kk < e; kk++) {
                    if (a.kept(i, kk)) {
                        part += am.get(i, kk) * b.get(kk, j);
                    }
                }
                out += part;
            }
            return out;
        }
        int out = 0;
        for (int t = 0; t < k; t += kTile) {
            int part = 0;
            for (int kk = t, e = Math.min(k, t + kTile); kk < e; kk++) {
                if (a.kept(i, kk)) {
                    int x = Bf16Rounding.roundBits(am.get(i, kk)) >>> 16;
                    int y = Bf16Rounding.roundBits(b.get(kk, j)) >>> 16;
                    part = Fp32Ops.add(part, Fp32Ops.mulBf16(x, y));
                }
            }
            out = Fp32Ops.add(out, part);
        }
        return Float.intBitsToFloat(out);
    }
}
