package dev.sieve.dataflow.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * The non-GEMM operations of every layer of a topology: the {@code Post Ops} column where a row has
 * it, otherwise inferred from the layer shapes (a plain SCALE-Sim file has no such rows). The
 * inference, stated so a report can say what it assumed:
 * <ul>
 *   <li>the last layer: {@code softmax} (softmax and cross-entropy loss);</li>
 *   <li>a convolution with more than one output pixel: {@code bn+relu}; a layer with a 1 x 1 output (a
 *       classifier or GEMM row): {@code relu} (standard classifiers have no batch normalization);</li>
 *   <li>pooling, when the next layer reads this layer's channels at a smaller size: to 1 x 1
 *       {@code gap}; otherwise {@code maxpoolK} with K the ratio of the two sizes, the next layer's
 *       input taken as unpadded or as padded by {@code filter - 1} (same padding), whichever divides;
 *       a flattened next layer ({@code 1 x 1} input of {@code C x h x w} channels) the same way;</li>
 *   <li>residual additions are never inferred (the CSV order does not show a network's branches).</li>
 * </ul>
 */
public final class PostOps {

    /** Where a topology's non-GEMM operations came from. */
    public enum Source {
        GIVEN("given"), INFERRED("inferred"), MIXED("mixed");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private PostOps() {
    }

    /** Each layer's operations, in layer order: given, or inferred as the class comment says. */
    public static List<List<PostOp>> of(Topology t) {
        List<List<PostOp>> out = new ArrayList<>();
        for (int i = 0; i < t.layers().size(); i++) {
            Layer l = t.layers().get(i);
            out.add(l.post() != null ? l.post() : infer(t, i));
        }
        return out;
    }

    /** Whether the topology gave its operations, left them to inference, or both. */
    public static Source source(Topology t) {
        long given = t.layers().stream().filter(l -> l.post() != null).count();
        return given == t.layers().size() ? Source.GIVEN : given == 0 ? Source.INFERRED : Source.MIXED;
    }

    /** The inferred operations of layer {@code i} of {@code t} (see the class comment). */
    public static List<PostOp> infer(Topology t, int i) {
        List<Layer> layers = t.layers();
        Layer l = layers.get(i);
        if (i == layers.size() - 1) {
            return List.of(PostOp.of(PostOp.Kind.SOFTMAX));
        }
        List<PostOp> ops = new ArrayList<>();
        boolean onePixel = l.outH() == 1 && l.outW() == 1;
        if (!onePixel && l.kind() == Layer.Kind.CONV) {
            ops.add(PostOp.of(PostOp.Kind.BN));
        }
        ops.add(PostOp.of(PostOp.Kind.RELU));
        PostOp pool = pool(l, layers.get(i + 1));
        if (pool != null) {
            ops.add(pool);
        }
        return List.copyOf(ops);
    }

    /**
     * Checks that {@code ops} fit {@code layer}'s output: every pooling window at most the map it pools
     * (pooling shrinks the map for the operations after it). Throws naming the operation and the sizes.
     */
    public static void checkSizes(Layer layer, List<PostOp> ops) {
        long h = layer.outH();
        long w = layer.outW();
        for (PostOp op : ops) {
            if (op.kind() == PostOp.Kind.GAP) {
                h = 1;
                w = 1;
            } else if (op.kind() == PostOp.Kind.MAXPOOL || op.kind() == PostOp.Kind.AVGPOOL) {
                if (h < op.window() || w < op.window()) {
                    throw new IllegalArgumentException(op + " needs an input of at least " + op.window() + " x "
                            + op.window() + "; it has " + h + " x " + w);
                }
                h /= op.window();
                w /= op.window();
            }
        }
    }

    /** The pooling between {@code l} and {@code next}, or null when the next layer reads l's size. */
    static PostOp pool(Layer l, Layer next) {
        int h = l.outH();
        int w = l.outW();
        if (h == 1 && w == 1) {
            return null;
        }
        if (next.channels() == l.outputs()) {
            if (next.ifmapH() == 1 && next.ifmapW() == 1) {
                return PostOp.of(PostOp.Kind.GAP);
            }
            int k = ratio(h, w, next.ifmapH(), next.ifmapW());
            if (k == 0) {
                k = ratio(h, w, next.ifmapH() - (next.filterH() - 1), next.ifmapW() - (next.filterW() - 1));
            }
            return k == 0 ? null : new PostOp(PostOp.Kind.MAXPOOL, k);
        }
        // a flattened next layer: C x h' x w' inputs at 1 x 1
        if (next.ifmapH() == 1 && next.ifmapW() == 1 && next.channels() % l.outputs() == 0) {
            long pixels = next.channels() / l.outputs();
            if (pixels == 1) {
                return PostOp.of(PostOp.Kind.GAP);
            }
            for (int k = 2; k <= PostOp.MAX_WINDOW && k <= h; k++) {
                if (h % k == 0 && w % k == 0 && (long) (h / k) * (w / k) == pixels) {
                    return new PostOp(PostOp.Kind.MAXPOOL, k);
                }
            }
        }
        return null;
    }

    /** K >= 2 with {@code h = K x h2} and {@code w = K x w2}, or 0. */
    private static int ratio(int h, int w, int h2, int w2) {
        if (h2 < 1 || w2 < 1 || h2 >= h || h % h2 != 0 || w % w2 != 0) {
            return 0;
        }
        int k = h / h2;
        return k == w / w2 && k <= PostOp.MAX_WINDOW ? k : 0;
    }
}
