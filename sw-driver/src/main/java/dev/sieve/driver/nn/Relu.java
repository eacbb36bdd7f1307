package dev.sieve.driver.nn;

/** {@code max(0, x)}; the gradient passes where the input was positive. */
public final class Relu implements Module {
    private final String name;
    private float[] out;

    public Relu(String name) {
        this.name = name;
    }

    @Override
    public Act forward(Act x) {
        float[] y = new float[x.data().length];
        float[] in = x.data();
        for (int i = 0; i < y.length; i++) {
            y[i] = in[i] > 0f ? in[i] : 0f;
        }
        out = y;
        return new Act(y, x.c(), x.b(), x.h(), x.w());
    }

    @Override
    public Act backward(Act dy) {
        float[] g = dy.data();
        float[] dx = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            dx[i] = out[i] > 0f ? g[i] : 0f;
        }
        return new Act(dx, dy.c(), dy.b(), dy.h(), dy.w());
    }

    @Override
    public String name() {
        return name;
    }
}
