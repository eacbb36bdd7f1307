package dev.sieve.dataflow.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.dataflow.workload.PostOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The non-GEMM work of one layer in a training step, as vector-unit jobs: what the work is (operations
 * and DRAM bytes), not how long it takes (the sim model times it). Three jobs per layer:
 * <ul>
 *   <li><b>forward</b>: the layer's {@link PostOp}s fused into one pass over its GEMM output: read that
 *       output once, apply the operations in order, write the result (and ReLU's mask bits and
 *       max-pooling's window indices for the backward pass);</li>
 *   <li><b>backward</b>: the same operations' gradients in reverse order, fused: read the gradient of
 *       the result, write the gradient of the GEMM output (the data and weight gradients read it);</li>
 *   <li><b>update</b>: SGD with momentum and weight decay on the layer's weights (and batch
 *       normalization's scale and shift), and for an N:M layer SR-STE's decay {@code λ(1-mask)⊙W} with
 *       the current mask (recomputed every step by the pre-generation unit, see {@code mask} below).</li>
 * </ul>
 * Every number is per operation kind ({@link Part}) so reports can say where the time goes. Counted
 * operations (one lane-operation each: a fused multiply-add, a compare, an exponential from a table):
 * <pre>
 * bn       forward 3/element (sum, sum of squares, scale-and-shift) + 8/channel (mean, variance, rsqrt, fold)
 *          backward 6/element (x̂ recomputed, sums of dy and dy·x̂, dx) + 8/channel
 * relu     1/element each way; forward writes 1 mask bit/element, backward reads it
 * add      1/element forward (reads the shortcut, E x operand bytes); backward 1/element and writes the
 *          shortcut's copy of the gradient
 * pooling  1/input element each way (+1/output for average pooling); max pooling writes and reads
 *          ceil(log2(K^2)) index bits per output
 * softmax  6/element (max, subtract, exp, sum, divide, p - onehot: its gradient is made in the forward
 *          job, which reads 4 bytes of label per image); nothing backward
 * update   3/weight (g + wd·w, v = μv + g, w -= lr·v); reads W and the momentum (FP32, 4 B each) and dW
 *          (accumulator bytes), writes W and the momentum: 16 + accumulator bytes per weight
 * decay    1/weight (SR-STE's masked term), N:M layers only; no extra bytes (W is in the update's stream)
 * mask     N:M layers only: the decay's mask is the forward mask of the current W, which the pre-generation
 *          unit already selected (top N of each group of M by magnitude) when it built this step's
 *          compressed copies; that unit writes it as 1 bit per weight beside them and the update reads it:
 *          W/8 bytes each way, no operations here (the selection's cycles are pre-generation's)
 * </pre>
 * Batch normalization is two-phase (statistics, then normalization): its input is read once when it
 * fits in the vector unit's buffer ({@code bufferBytes}), twice when not (backward: its input and
 * gradient together). Its per-channel scale, shift and running statistics: 16 bytes read and 8 written
 * per channel each way.
 */
public final class NonGemmWork {

    /** Bytes of a master weight or a momentum (FP32). */
    public static final int MASTER_BYTES = 4;

    /** The job a piece of work belongs to. */
    public enum Phase {
        FORWARD("vec-fwd"), BACKWARD("vec-bwd"), UPDATE("update");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Kinds of non-GEMM work, for reports. */
    public enum Kind {
        BN("bn"), RELU("relu"), ADD("add"), POOL("pool"), SOFTMAX_LOSS("softmax_loss"), UPDATE("update"),
        SRSTE_DECAY("srste_decay"), MASK("mask");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One kind's share of a job: its operations and the DRAM bytes charged to it. */
    public record Part(Kind kind, long ops, long readBytes, long writeBytes) {
    }

    /** One job of one layer: its parts in order. */
    public record Job(String layer, int layerIndex, Phase phase, List<Part> parts) {

        public Job {
            parts = List.copyOf(parts);
        }

        public long ops() {
            return parts.stream().mapToLong(Part::ops).sum();
        }

        public long readBytes() {
            return parts.stream().mapToLong(Part::readBytes).sum();
        }

        public long writeBytes() {
            return parts.stream().mapToLong(Part::writeBytes).sum();
        }

        public boolean isEmpty() {
            return parts.isEmpty();
        }
    }

    private NonGemmWork() {
    }

    /**
     * The forward job of {@code layer} with {@code ops} on its output, for {@code batch} images; the
     * GEMM output's first read is charged to the first operation, the result's write to the last.
     */
    public static Job forward(Layer layer, int index, List<PostOp> ops, int batch, NumberFormat format,
                              long bufferBytes) {
        int ab = format.operandBytes();
        long h = layer.outH();
        long w = layer.outW();
        long c = layer.outputs();
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            PostOp op = ops.get(i);
            long e = h * w * c * batch;
            long read = i == 0 ? e * ab : 0;
            long write = 0;
            long n;
            Kind kind;
            switch (op.kind()) {
                case BN -> {
                    kind = Kind.BN;
                    n = 3 * e + 8 * c;
                    read += (e * ab > bufferBytes ? e * ab : 0) + 16 * c;
                    write += 8 * c;
                }
                case RELU -> {
                    kind = Kind.RELU;
                    n = e;
                    write += bits(e);
                }
                case ADD -> {
                    kind = Kind.ADD;
                    n = e;
                    read += e * ab;
                }
                case MAXPOOL, AVGPOOL, GAP -> {
                    kind = Kind.POOL;
                    int k = window(op, h, w);
                    h = op.kind() == PostOp.Kind.GAP ? 1 : h / k;
                    w = op.kind() == PostOp.Kind.GAP ? 1 : w / k;
                    long out = h * w * c * batch;
                    n = e + (op.kind() == PostOp.Kind.MAXPOOL ? 0 : out);
                    if (op.kind() == PostOp.Kind.MAXPOOL) {
                        write += indexBytes(out, k);
                    }
                }
                case SOFTMAX -> {
                    kind = Kind.SOFTMAX_LOSS;
                    n = 6 * e;
                    read += 4L * batch;
                }
                default -> throw new IllegalStateException(op.toString());
            }
            if (i == ops.size() - 1) {
                write += h * w * c * batch * ab;
            }
            parts.add(new Part(kind, n, read, write));
        }
        return new Job(layer.name(), index, Phase.FORWARD, parts);
    }

    /**
     * The backward job of {@code layer}: the gradients of its operations in reverse order, reading the
     * result's gradient (charged to the last operation) and writing the GEMM output's (the first).
     */
    public static Job backward(Layer layer, int index, List<PostOp> ops, int batch, NumberFormat format,
                               long bufferBytes) {
        int ab = format.operandBytes();
        long c = layer.outputs();
        // sizes before each operation, forward order
        long[] hs = new long[ops.size() + 1];
        long[] ws = new long[ops.size() + 1];
        hs[0] = layer.outH();
        ws[0] = layer.outW();
        for (int i = 0; i < ops.size(); i++) {
            PostOp op = ops.get(i);
            boolean pool = op.kind() == PostOp.Kind.MAXPOOL || op.kind() == PostOp.Kind.AVGPOOL
                    || op.kind() == PostOp.Kind.GAP;
            int k = pool ? window(op, hs[i], ws[i]) : 1;
            hs[i + 1] = op.kind() == PostOp.Kind.GAP ? 1 : hs[i] / k;
            ws[i + 1] = op.kind() == PostOp.Kind.GAP ? 1 : ws[i] / k;
        }
        List<Part> parts = new ArrayList<>();
        int last = ops.size() - 1;
        while (last >= 0 && ops.get(last).kind() == PostOp.Kind.SOFTMAX) {
            last--;
        }
        for (int i = last; i >= 0; i--) {
            PostOp op = ops.get(i);
            long e = hs[i] * ws[i] * c * batch;
            long out = hs[i + 1] * ws[i + 1] * c * batch;
            long read = i == last ? out * ab : 0;
            long write = i == 0 ? e * ab : 0;
            long n;
            Kind kind;
            switch (op.kind()) {
                case BN -> {
                    kind = Kind.BN;
                    n = 6 * e + 8 * c;
                    read += e * ab + (2 * e * ab > bufferBytes ? 2 * e * ab : 0) + 16 * c;
                    write += 8 * c;
                }
                case RELU -> {
                    kind = Kind.RELU;
                    n = e;
                    read += bits(e);
                }
                case ADD -> {
                    kind = Kind.ADD;
                    n = e;
                    write += e * ab;
                }
                case MAXPOOL, AVGPOOL, GAP -> {
                    kind = Kind.POOL;
                    n = e + (op.kind() == PostOp.Kind.MAXPOOL ? 0 : out);
                    if (op.kind() == PostOp.Kind.MAXPOOL) {
                        read += indexBytes(out, op.window());
                    }
                }
                default -> throw new IllegalStateException(op.toString());
            }
            parts.add(new Part(kind, n, read, write));
        }
        return new Job(layer.name(), index, Phase.BACKWARD, parts);
    }

    /**
     * The update job of {@code layer} (weights {@code F x K}, plus 2 per channel when it has batch
     * normalization) under {@code pattern}: SGD with momentum and weight decay; for N:M, SR-STE's decay
     * and the traffic of the mask it needs.
     */
    public static Job update(Layer layer, int index, List<PostOp> ops, NmPattern pattern, NumberFormat format) {
        boolean bn = ops.stream().anyMatch(o -> o.kind() == PostOp.Kind.BN);
        long weights = layer.weights();
        long params = weights + (bn ? 2L * layer.outputs() : 0);
        List<Part> parts = new ArrayList<>();
        parts.add(new Part(Kind.UPDATE, 3 * params, params * (2L * MASTER_BYTES + format.accumulatorBytes()),
                params * 2L * MASTER_BYTES));
        if (!pattern.isDense()) {
            parts.add(new Part(Kind.SRSTE_DECAY, weights, 0, 0));
            parts.add(new Part(Kind.MASK, 0, bits(weights), bits(weights)));
        }
        return new Job(layer.name(), index, Phase.UPDATE, parts);
    }

    private static long bits(long n) {
        return (n + 7) / 8;
    }

    /** Bytes of max-pooling's indices: ceil(log2(K^2)) bits per output. */
    static long indexBytes(long outputs, int k) {
        int b = 64 - Long.numberOfLeadingZeros((long) k * k - 1);
        return (outputs * b + 7) / 8;
    }

    private static int window(PostOp op, long h, long w) {
        if (op.kind() == PostOp.Kind.GAP) {
            return (int) Math.max(h, w);
        }
        if (h < op.window() || w < op.window()) {
            throw new IllegalArgumentException(op + " needs an input of at least " + op.window() + " x "
                    + op.window() + "; it has " + h + " x " + w);
        }
        return op.window();
    }
}
