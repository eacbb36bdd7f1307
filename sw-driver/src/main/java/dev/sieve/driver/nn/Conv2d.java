package dev.sieve.driver.nn;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.Bdwp;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.driver.Device;
import dev.sieve.driver.Matrix;
import dev.sieve.driver.Operand;

/**
 * A square {@code k x k} convolution, stride {@code stride}, zero padding {@code pad}, by im2col and GEMM. The
 * im2col row index is {@code k = (fh*k + fw)*C + c} (channels innermost), so a group of M consecutive
 * reduction positions is M input channels at one filter tap: the forward N:M groups run along the
 * input channels.
 */
public final class Conv2d extends GemmLayer {
    private final int channels;
    private final int filters;
    private final int k;
    private final int pad;
    private final int stride;
    private final int inH;
    private final int inW;
    private float[] col;
    private int batch;

    public Conv2d(Device device, String name, int index, boolean first, int inH, int inW, int channels, int filters,
                  int k, int pad, NmPattern pattern, BackwardMaskSource source) {
        this(device, name, index, first, inH, inW, channels, filters, k, pad, 1, pattern, source);
    }

    public Conv2d(Device device, String name, int index, boolean first, int inH, int inW, int channels, int filters,
                  int k, int pad, int stride, NmPattern pattern, BackwardMaskSource source) {
        super(device, Layer.conv(name, inH + 2 * pad, inW + 2 * pad, k, k, channels, filters, stride), index, first,
                pattern, source);
        if (stride < 1) {
            throw new IllegalArgumentException(name + ": stride " + stride + " is not allowed; allowed >= 1");
        }
        this.channels = channels;
        this.filters = filters;
        this.k = k;
        this.pad = pad;
        this.stride = stride;
        this.inH = inH;
        this.inW = inW;
    }

    private int outH() {
        return (inH + 2 * pad - k) / stride + 1;
    }

    private int outW() {
        return (inW + 2 * pad - k) / stride + 1;
    }

    @Override
    public Act forward(Act x) {
        if (x.c() != channels || x.h() != inH || x.w() != inW) {
            throw new IllegalArgumentException(name() + ": input " + x.c() + "x" + x.h() + "x" + x.w() + " is not "
                    + channels + "x" + inH + "x" + inW);
        }
        batch = x.b();
        int kk = desc.reduction();
        int p = batch * outH() * outW();
        col = im2col(x);
        float[] y = new float[filters * p];
        device.gemm(Bdwp.forward(desc, index, batch, pattern), operands.forwardOperand(),
                Matrix.of(device.wrap(name() + ".col", col), kk, p), Matrix.of(device.wrap(name() + ".y", y), filters, p));
        addBias(y, bias.value, p);
        return new Act(y, filters, batch, outH(), outW());
    }

    @Override
    public Act backward(Act dy) {
        int kk = desc.reduction();
        int p = batch * outH() * outW();
        biasGrad(dy.data(), bias.grad, p);
        Matrix g = Matrix.of(device.wrap(name() + ".dy", dy.data()), filters, p);
        device.gemm(Bdwp.weightGradient(desc, index, batch), Operand.dense(g),
                Matrix.of(device.wrap(name() + ".col", col), kk, p).t(),
                Matrix.of(device.wrap(name() + ".dw", weight.grad), filters, kk));
        if (first) {
            return null;
        }
        float[] dcol = new float[kk * p];
        device.gemm(Bdwp.dataGradient(desc, index, batch, dataGradientPattern()), dataGradientOperand(), g,
                Matrix.of(device.wrap(name() + ".dcol", dcol), kk, p));
        return col2im(dcol);
    }

    private float[] im2col(Act x) {
        int oh = outH();
        int ow = outW();
        int p = batch * oh * ow;
        float[] out = new float[desc.reduction() * p];
        float[] in = x.data();
        for (int fh = 0; fh < k; fh++) {
            for (int fw = 0; fw < k; fw++) {
                int lo = firstColumn(fw);
                int hi = endColumn(fw, ow);
                for (int c = 0; c < channels; c++) {
                    int row = ((fh * k + fw) * channels + c) * p;
                    for (int n = 0; n < batch; n++) {
                        int plane = (c * batch + n) * inH * inW;
                        for (int r = 0; r < oh; r++) {
                            int ih = r * stride + fh - pad;
                            if (ih < 0 || ih >= inH) {
                                continue;
                            }
                            int dst = row + (n * oh + r) * ow;
                            int src = plane + ih * inW + fw - pad;
                            if (stride == 1) {
                                for (int q = lo; q < hi; q++) {
                                    out[dst + q] = in[src + q];
                                }
                            } else {
                                for (int q = lo; q < hi; q++) {
                                    out[dst + q] = in[src + q * stride];
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The first output column whose input column {@code q*stride + fw - pad} is inside the image. */
    private int firstColumn(int fw) {
        return Math.max(0, (pad - fw + stride - 1) / stride);
    }

    /** One past the last output column whose input column is inside the image. */
    private int endColumn(int fw, int ow) {
        // q*stride + fw - pad <= inW - 1
        int last = inW - 1 + pad - fw;
        return last < 0 ? 0 : Math.min(ow, last / stride + 1);
    }

    private Act col2im(float[] dcol) {
        int oh = outH();
        int ow = outW();
        int p = batch * oh * ow;
        float[] dx = new float[channels * batch * inH * inW];
        for (int fh = 0; fh < k; fh++) {
            for (int fw = 0; fw < k; fw++) {
                int lo = firstColumn(fw);
                int hi = endColumn(fw, ow);
                for (int c = 0; c < channels; c++) {
                    int row = ((fh * k + fw) * channels + c) * p;
                    for (int n = 0; n < batch; n++) {
                        int plane = (c * batch + n) * inH * inW;
                        for (int r = 0; r < oh; r++) {
                            int ih = r * stride + fh - pad;
                            if (ih < 0 || ih >= inH) {
                                continue;
                            }
                            int src = row + (n * oh + r) * ow;
                            int dst = plane + ih * inW + fw - pad;
                            for (int q = lo; q < hi; q++) {
                                dx[dst + q * stride] += dcol[src + q];
                            }
                        }
                    }
                }
            }
        }
        return new Act(dx, channels, batch, inH, inW);
    }
}
