package dev.sieve.driver.nn;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.driver.Device;
import dev.sieve.driver.DeviceBuffer;
import dev.sieve.driver.NmWeights;
import dev.sieve.driver.Operand;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A layer whose products run on the device as the three BDWP passes: dense master weights
 * {@code W[F][K]} and a bias; before each step {@link #pregen} builds the forward (N:M along K) and
 * backward (N:M along F) operands; the weight gradient is taken with respect to the pruned weights
 * and applied to the dense ones (straight-through).
 */
public abstract class GemmLayer implements Module {
    protected final Device device;
    protected final Layer desc;
    protected final int index;
    protected final boolean first;
    protected final NmPattern pattern;
    protected final BackwardMaskSource source;
    protected final Param weight;
    protected final Param bias;
    private final DeviceBuffer weightBuffer;
    protected NmWeights operands;
    private boolean sparseBackward = true;

    protected GemmLayer(Device device, Layer desc, int index, boolean first, NmPattern pattern, BackwardMaskSource source) {
        this.device = device;
        this.desc = desc;
        this.index = index;
        this.first = first;
        this.pattern = pattern;
        this.source = source;
        this.weight = new Param(desc.name() + ".w", new float[desc.outputs() * desc.reduction()], true);
        this.bias = new Param(desc.name() + ".b", new float[desc.outputs()], false);
        this.weightBuffer = device.wrap(desc.name() + ".w", weight.value);
    }

    /** He-uniform weights, {@code U(-sqrt(6/K), sqrt(6/K))}, zero bias. */
    public void init(SplittableRandom rng) {
        double bound = Math.sqrt(6.0 / desc.reduction());
        float[] w = weight.value;
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        java.util.Arrays.fill(bias.value, 0f);
    }

    /** Launches weight pre-generation from the current dense weights (every step). */
    public void pregen() {
        operands = device.pregen(desc, index, weightBuffer, pattern, source, operands);
        weight.keep = pattern.isDense() ? null : operands.forwardKeep();
    }

    /**
     * SR-STE as published (forward-only N:M): the data gradient runs dense on the forward-pruned weights
     * {@code W~^T} instead of on BDWP's second N:M operand, and is charged as a dense pass.
     */
    public void useDenseBackward() {
        sparseBackward = false;
    }

    /** True when the data gradient runs on the backward N:M operand (BDWP). */
    public boolean sparseBackward() {
        return sparseBackward;
    }

    /** The data-gradient pass's stationary operand: {@code W_b^T} (BDWP) or {@code W~^T}, dense (SR-STE). */
    protected Operand dataGradientOperand() {
        return sparseBackward ? operands.backwardOperand() : operands.forwardTransposedDense();
    }

    /** The data-gradient pass's pattern: the layer's N:M (BDWP) or dense (SR-STE). */
    protected NmPattern dataGradientPattern() {
        return sparseBackward ? pattern : NmPattern.DENSE;
    }

    public NmWeights operands() {
        return operands;
    }

    /** The layer as the SAT model sees it. */
    public Layer desc() {
        return desc;
    }

    public NmPattern pattern() {
        return pattern;
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    @Override
    public String name() {
        return desc.name();
    }

    protected static void addBias(float[] y, float[] b, int plane) {
        for (int f = 0; f < b.length; f++) {
            float v = b[f];
            for (int i = f * plane, e = i + plane; i < e; i++) {
                y[i] += v;
            }
        }
    }

    protected static void biasGrad(float[] dy, float[] db, int plane) {
        for (int f = 0; f < db.length; f++) {
            float s = 0f;
            for (int i = f * plane, e = i + plane; i < e; i++) {
                s += dy[i];
            }
            db[f] = s;
        }
    }
}
