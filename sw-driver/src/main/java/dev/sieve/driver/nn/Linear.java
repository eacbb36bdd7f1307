package dev.sieve.driver.nn;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.driver.Device;
import dev.sieve.driver.Matrix;
import dev.sieve.driver.Operand;

/** A fully connected layer {@code Y[F][B] = W[F][K] * X[K][B] + b}: a GEMM-mode layer to the SAT model. */
public final class Linear extends GemmLayer {
    private float[] x;
    private int batch;

    public Linear(Device device, String name, int index, boolean first, int in, int out, NmPattern pattern,
                  BackwardMaskSource source) {
        super(device, Layer.gemm(name, 1, out, in), index, first, pattern, source);
    }

    @Override
    public Act forward(Act in) {
        int k = desc.reduction();
        int f = desc.outputs();
        if (in.c() != k || in.h() != 1 || in.w() != 1) {
            throw new IllegalArgumentException(name() + ": input " + in.c() + "x" + in.h() + "x" + in.w()
                    + " is not " + k + " features");
        }
        batch = in.b();
        x = in.data();
        float[] y = new float[f * batch];
        device.gemm(Bdwp.forward(desc, index, batch, pattern), operands.forwardOperand(),
                Matrix.of(device.wrap(name() + ".x", x), k, batch), Matrix.of(device.wrap(name() + ".y", y), f, batch));
        addBias(y, bias.value, batch);
        return new Act(y, f, batch, 1, 1);
    }

    @Override
    public Act backward(Act dy) {
        int k = desc.reduction();
        int f = desc.outputs();
        biasGrad(dy.data(), bias.grad, batch);
        Matrix g = Matrix.of(device.wrap(name() + ".dy", dy.data()), f, batch);
        device.gemm(Bdwp.weightGradient(desc, index, batch), Operand.dense(g),
                Matrix.of(device.wrap(name() + ".x", x), k, batch).t(),
                Matrix.of(device.wrap(name() + ".dw", weight.grad), f, k));
        if (first) {
            return null;
        }
        float[] dx = new float[k * batch];
        device.gemm(Bdwp.dataGradient(desc, index, batch, dataGradientPattern()), dataGradientOperand(), g,
                Matrix.of(device.wrap(name() + ".dx", dx), k, batch));
        return new Act(dx, k, batch, 1, 1);
    }
}
