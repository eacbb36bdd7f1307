package dev.sieve.driver.nn;

/** Max-pooling over {@code s x s} windows with stride s (H and W must divide by s); ties go to the first. */
public final class MaxPool implements Module {
    private final String name;
    private final int s;
    private int[] argmax;
    private int inH;
    private int inW;

    /** The window (and stride) of the pooling. */
    public int window() {
        return s;
    }

    public MaxPool(String name, int s) {
        this.name = name;
        this.s = s;
    }

    @Override
    public Act forward(Act x) {
        if (x.h() % s != 0 || x.w() % s != 0) {
            throw new IllegalArgumentException(name + ": input " + x.h() + "x" + x.w() + " does not divide by " + s);
        }
        inH = x.h();
        inW = x.w();
        int oh = inH / s;
        int ow = inW / s;
        int planes = x.c() * x.b();
        float[] in = x.data();
        float[] y = new float[planes * oh * ow];
        argmax = new int[y.length];
        if (s == 2) {
            pool2(in, y, planes, oh, ow);
            return new Act(y, x.c(), x.b(), oh, ow);
        }
        for (int pl = 0; pl < planes; pl++) {
            int ib = pl * inH * inW;
            int ob = pl * oh * ow;
            for (int r = 0; r < oh; r++) {
                for (int c = 0; c < ow; c++) {
                    int best = ib + r * s * inW + c * s;
                    for (int dr = 0; dr < s; dr++) {
                        for (int dc = 0; dc < s; dc++) {
                            int idx = ib + (r * s + dr) * inW + c * s + dc;
                            if (in[idx] > in[best]) {
                                best = idx;
                            }
                        }
                    }
                    y[ob + r * ow + c] = in[best];
                    argmax[ob + r * ow + c] = best;
                }
            }
        }
        return new Act(y, x.c(), x.b(), oh, ow);
    }

    private void pool2(float[] in, float[] y, int planes, int oh, int ow) {
        for (int pl = 0; pl < planes; pl++) {
            int ib = pl * inH * inW;
            int ob = pl * oh * ow;
            for (int r = 0; r < oh; r++) {
                int top = ib + 2 * r * inW;
                int bot = top + inW;
                for (int c = 0; c < ow; c++) {
                    int best = top + 2 * c;
                    if (in[top + 2 * c + 1] > in[best]) {
                        best = top + 2 * c + 1;
                    }
                    if (in[bot + 2 * c] > in[best]) {
                        best = bot + 2 * c;
                    }
                    if (in[bot + 2 * c + 1] > in[best]) {
                        best = bot + 2 * c + 1;
                    }
                    y[ob + r * ow + c] = in[best];
                    argmax[ob + r * ow + c] = best;
                }
            }
        }
    }

    @Override
    public Act backward(Act dy) {
        float[] dx = new float[dy.c() * dy.b() * inH * inW];
        float[] g = dy.data();
        for (int i = 0; i < g.length; i++) {
            dx[argmax[i]] += g[i];
        }
        return new Act(dx, dy.c(), dy.b(), inH, inW);
    }

    @Override
    public String name() {
        return name;
    }
}
