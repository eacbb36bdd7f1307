package dev.sieve.driver.nn;

/** {@code [C][B][H][W]} to features x batch, {@code [C*H*W][B]} (feature index {@code (c*H + h)*W + w}). */
public final class Flatten implements Module {
    private final String name;
    private int c;
    private int h;
    private int w;

    public Flatten(String name) {
        this.name = name;
    }

    @Override
    public Act forward(Act x) {
        c = x.c();
        h = x.h();
        w = x.w();
        int b = x.b();
        int hw = h * w;
        float[] in = x.data();
        float[] y = new float[in.length];
        for (int ch = 0; ch < c; ch++) {
            for (int n = 0; n < b; n++) {
                int src = (ch * b + n) * hw;
                for (int q = 0; q < hw; q++) {
                    y[(ch * hw + q) * b + n] = in[src + q];
                }
            }
        }
        return new Act(y, c * hw, b, 1, 1);
    }

    @Override
    public Act backward(Act dy) {
        int b = dy.b();
        int hw = h * w;
        float[] g = dy.data();
        float[] dx = new float[g.length];
        for (int ch = 0; ch < c; ch++) {
            for (int n = 0; n < b; n++) {
                int dst = (ch * b + n) * hw;
                for (int q = 0; q < hw; q++) {
                    dx[dst + q] = g[(ch * hw + q) * b + n];
                }
            }
        }
        return new Act(dx, c, b, h, w);
    }

    @Override
    public String name() {
        return name;
    }
}
