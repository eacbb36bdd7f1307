package dev.sieve.dataflow.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.workload.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * Bidirectional weight pruning: one training step of a layer (lowered to GEMM, {@code K = Fh*Fw*C},
 * {@code F} filters, {@code P = outH*outW*batch}) as three products, all with {@code K*F*P} MACs:
 * <ul>
 * <li>forward {@code Y[F][P] = W[F][K] * X[K][P]}: stationary W, N:M along K (input channels);</li>
 * <li>data gradient {@code dX[K][P] = W^T[K][F] * dY[F][P]}: stationary W^T, N:M along F (output
 *     channels); the im2col-shaped result is folded back (col2im) by accumulating in the output
 *     buffer, so only the raw {@code H*W*C} input gradient leaves the chip; skipped for the first
 *     layer, whose input gradient nobody needs;</li>
 * <li>weight gradient {@code dW[F][K] = dY[F][P] * X^T[P][K]}: dense, reduction P; the scheduler may
 *     keep either dY or X stationary; dW leaves at accumulator width.</li>
 * </ul>
 */
public final class Bdwp {

    private Bdwp() {
    }

    /** The forward product of {@code layer} with {@code pattern} on W. */
    public static PassGemm forward(Layer layer, int index, int batch, NmPattern pattern) {
        long k = layer.reduction();
        long f = layer.outputs();
        long p = layer.vectors(batch);
        return new PassGemm(layer.name(), index, Pass.FORWARD, k, f, p, pattern, k * f, layer.ifmapElements(batch),
                layer.ofmapElements(batch), false, false);
    }

    /** The data-gradient product of {@code layer} with {@code pattern} on W^T. */
    public static PassGemm dataGradient(Layer layer, int index, int batch, NmPattern pattern) {
        long k = layer.reduction();
        long f = layer.outputs();
        long p = layer.vectors(batch);
        return new PassGemm(layer.name(), index, Pass.DATA_GRADIENT, f, k, p, pattern, k * f,
                layer.ofmapElements(batch), layer.ifmapElements(batch), false, false);
    }

    /** The dense weight-gradient product of {@code layer}, dY stationary (the scheduler may transpose it). */
    public static PassGemm weightGradient(Layer layer, int index, int batch) {
        long k = layer.reduction();
        long f = layer.outputs();
        long p = layer.vectors(batch);
        return new PassGemm(layer.name(), index, Pass.WEIGHT_GRADIENT, p, f, k, NmPattern.DENSE,
                layer.ofmapElements(batch), layer.ifmapElements(batch), k * f, true, true);
    }

    /**
     * The passes of one training step of {@code layer}: forward, then (unless {@code firstLayer}) the
     * data gradient, then the weight gradient.
     */
    public static List<PassGemm> trainingStep(Layer layer, int index, int batch, NmPattern pattern, boolean firstLayer) {
        List<PassGemm> out = new ArrayList<>(3);
        out.add(forward(layer, index, batch, pattern));
        if (!firstLayer) {
            out.add(dataGradient(layer, index, batch, pattern));
        }
        out.add(weightGradient(layer, index, batch));
        return out;
    }
}
