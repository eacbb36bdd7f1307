package dev.sieve.driver.nn;

import java.util.List;

/**
 * SGD with momentum, weight decay and the SR-STE term (Zhou et al., ICLR 2021): for every entry
 * {@code g' = g + wd*w [decayed params] + lambda*w [entries the forward N:M mask prunes]},
 * {@code v = mu*v + g'}, {@code w = w - lr*v}. In float, entry by entry, in a fixed order.
 */
public record Sgd(float momentum, float weightDecay, float srsteLambda) {

    public Sgd {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum = " + momentum + " is out of range; allowed [0, 1)");
        }
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            throw new IllegalArgumentException("weight decay = " + weightDecay + " is out of range; allowed [0, 1)");
        }
        if (!(srsteLambda >= 0 && srsteLambda < 1)) {
            throw new IllegalArgumentException("SR-STE lambda = " + srsteLambda + " is out of range; allowed [0, 1)");
        }
    }

    public void step(List<Param> params, float lr) {
        for (Param p : params) {
            float[] w = p.value;
            float[] g = p.grad;
            float[] v = p.momentum;
            boolean[] keep = p.keep;
            float wd = p.decay ? weightDecay : 0f;
            for (int i = 0; i < w.length; i++) {
                float gi = g[i] + wd * w[i];
                if (keep != null && !keep[i]) {
                    gi += srsteLambda * w[i];
                }
                v[i] = momentum * v[i] + gi;
                w[i] -= lr * v[i];
            }
        }
    }
}
