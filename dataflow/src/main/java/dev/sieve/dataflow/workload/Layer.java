package dev.sieve.dataflow.workload;

import dev.sieve.arch.NmPattern;
import java.math.BigInteger;

/**
 * One layer of a topology, in SCALE-Sim's terms. IFMAP sizes include any padding (SCALE-Sim has no
 * padding field). A GEMM-mode row {@code M, N, K} is held the way SCALE-Sim converts it: an
 * {@code M x K} ifmap, a {@code 1 x K} filter, one channel, {@code N} filters, stride 1; it lowers to
 * {@code M} output vectors, reduction {@code K} and {@code N} outputs.
 *
 * @param sparsity the row's {@code Sparsity} column, or {@code null} when the row has none
 * @param line     1-based line in the source file (0 for layers built in code)
 * @param post     the non-GEMM operations on the layer's output ({@link PostOp}, the optional
 *                 {@code Post Ops} column), or {@code null} when the topology does not say (then
 *                 {@link PostOps#infer} infers them from the layer shapes)
 */
public record Layer(String name, Kind kind, int ifmapH, int ifmapW, int filterH, int filterW, int channels,
                    int filters, int stride, NmPattern sparsity, int line, java.util.List<PostOp> post) {

    public enum Kind { CONV, GEMM }

    /** Largest value of a dimension field (2^24). */
    public static final int MAX_DIMENSION = 1 << 24;

    /**
     * Most dense forward multiply-accumulates of one image (2^40, about 1.1e12): with a batch of up
     * to 2^20 images the three passes of a step stay far within a {@code long}.
     */
    public static final long MAX_MACS_PER_IMAGE = 1L << 40;

    public Layer {
        post = post == null ? null : java.util.List.copyOf(post);
        positive("IFMAP Height", ifmapH);
        positive("IFMAP Width", ifmapW);
        positive("Filter Height", filterH);
        positive("Filter Width", filterW);
        positive("Channels", channels);
        positive("Num Filter", filters);
        positive("Strides", stride);
        if (filterH > ifmapH) {
            throw new IllegalArgumentException("Filter Height = " + filterH + " is larger than IFMAP Height = " + ifmapH
                    + "; allowed 1 .. " + ifmapH);
        }
        if (filterW > ifmapW) {
            throw new IllegalArgumentException("Filter Width = " + filterW + " is larger than IFMAP Width = " + ifmapW
                    + "; allowed 1 .. " + ifmapW);
        }
        // sizes in BigInteger first: three factors of up to 2^24 pass a long
        BigInteger reduction = big(filterH).multiply(big(filterW)).multiply(big(channels));
        if (reduction.compareTo(big(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("Channels = " + channels
                    + " makes the reduction Filter Height x Filter Width x Channels = " + reduction
                    + " too large; allowed up to " + Integer.MAX_VALUE);
        }
        BigInteger macs = big((ifmapH - filterH) / stride + 1).multiply(big((ifmapW - filterW) / stride + 1))
                .multiply(reduction).multiply(big(filters));
        if (macs.compareTo(big(MAX_MACS_PER_IMAGE)) > 0) {
            throw new IllegalArgumentException("multiply-accumulates = " + macs + " per image (output pixels x reduction"
                    + " x Num Filter) is too large; allowed up to " + MAX_MACS_PER_IMAGE + " (2^40)");
        }
    }

    /** A convolution layer (IFMAP sizes include padding). */
    public static Layer conv(String name, int ifmapH, int ifmapW, int filterH, int filterW, int channels, int filters,
                             int stride) {
        return new Layer(name, Kind.CONV, ifmapH, ifmapW, filterH, filterW, channels, filters, stride, null, 0, null);
    }

    /** A GEMM-mode layer: {@code (M x K) * (K x N)}, M output vectors, reduction K, N outputs. */
    public static Layer gemm(String name, int m, int n, int k) {
        return new Layer(name, Kind.GEMM, m, k, 1, k, 1, n, 1, null, 0, null);
    }

    public Layer withSparsity(NmPattern p) {
        return new Layer(name, kind, ifmapH, ifmapW, filterH, filterW, channels, filters, stride, p, line, post);
    }

    /** This layer with its non-GEMM operations {@code ops} (null: not given). */
    public Layer withPost(java.util.List<PostOp> ops) {
        return new Layer(name, kind, ifmapH, ifmapW, filterH, filterW, channels, filters, stride, sparsity, line, ops);
    }

    /** Output height {@code floor((H - Fh) / S) + 1}. */
    public int outH() {
        return (ifmapH - filterH) / stride + 1;
    }

    /** Output width {@code floor((W - Fw) / S) + 1}. */
    public int outW() {
        return (ifmapW - filterW) / stride + 1;
    }

    /** Forward reduction length {@code Fh * Fw * C} (im2col rows). */
    public int reduction() {
        return filterH * filterW * channels;
    }

    /** Forward output channels (filters). */
    public int outputs() {
        return filters;
    }

    /** Forward streamed vectors: output pixels times batch. */
    public long vectors(int batch) {
        return (long) outH() * outW() * batch;
    }

    /** Weights {@code F * Fh * Fw * C}. */
    public long weights() {
        return (long) filters * reduction();
    }

    /** Distinct ifmap elements (with padding) for a batch: {@code H * W * C * batch}. */
    public long ifmapElements(int batch) {
        return (long) ifmapH * ifmapW * channels * batch;
    }

    /** Distinct ofmap elements for a batch: {@code outH * outW * F * batch}. */
    public long ofmapElements(int batch) {
        return vectors(batch) * filters;
    }

    /** Dense multiply-accumulates of the forward pass. */
    public long macs(int batch) {
        return vectors(batch) * reduction() * filters;
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    private static void positive(String field, int v) {
        if (v <= 0 || v > MAX_DIMENSION) {
            throw new IllegalArgumentException(field + " = " + v + " is out of range; allowed 1 .. " + MAX_DIMENSION);
        }
    }
}
