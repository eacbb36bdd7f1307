package dev.sieve.driver.nn;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.driver.Device;
import dev.sieve.driver.bdwp.BdwpPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** The networks {@code simulate train} offers, for 28 x 28 x 1 inputs and 10 classes. */
public final class Models {
    private Models() {
    }

    public static final List<String> NAMES = List.of("cnn", "mlp", "widecnn");

    /**
     * {@code cnn}: conv 3x3 1->16, ReLU, max-pool 2, conv 3x3 16->32, ReLU, max-pool 2, flatten (1568),
     * linear 1568->64, ReLU, linear 64->10. {@code mlp}: 784->256->128->10 with ReLUs.
     * {@code widecnn}: conv 3x3 stride 2 1->32 (14 x 14), ReLU, conv 3x3 32->128, ReLU, max-pool 2, conv 3x3
     * 128->128 (7 x 7), ReLU, flatten (6272), linear 6272->10. Its two N:M convolutions are 99 % of its
     * multiply-adds and 96 % of its dense step on the default array; the stem (dense: one input channel)
     * runs on 196 output pixels instead of 784, and the classifier has no hidden layer.
     */
    /**
     * The default learning-rate warm-up of {@code model}, in steps: 100 for widecnn, 0 for cnn and mlp.
     * widecnn's He-initialized 6,272-input classifier and wide convolutions start with a gradient norm of
     * about 20 (seed 3: 23), so the first full-rate step (lr 0.05, momentum 0.9) can push its loss to 30+
     * and leave every ReLU dead (seed 3 then stays at 10 %); ramping the rate over the first 100 steps
     * (about a tenth of an epoch at batch 64) keeps the first updates small until the gradients have
     * shrunk (seed 3: loss 2.83, 2.38, 2.44, ... 0.87 at step 30). cnn and mlp train stably without it
     * and keep the runs recorded for them.
     */
    public static int defaultWarmupSteps(String model) {
        return model.equals("widecnn") ? 100 : 0;
    }

    public static Network build(String model, Device d, NmPattern p, BackwardMaskSource src, long seed) {
        List<Module> mods = new ArrayList<>();
        List<String> policy = new ArrayList<>();
        switch (model) {
            case "cnn" -> {
                mods.add(conv(d, "conv1", 0, true, 28, 1, 16, p, src, policy));
                mods.add(new Relu("relu1"));
                mods.add(new MaxPool("pool1", 2));
                mods.add(conv(d, "conv2", 1, false, 14, 16, 32, p, src, policy));
                mods.add(new Relu("relu2"));
                mods.add(new MaxPool("pool2", 2));
                mods.add(new Flatten("flatten"));
                mods.add(linear(d, "fc1", 2, false, 32 * 7 * 7, 64, p, src, policy));
                mods.add(new Relu("relu3"));
                mods.add(linear(d, "fc2", 3, false, 64, 10, p, src, policy));
            }
            case "widecnn" -> {
                mods.add(conv(d, "conv1", 0, true, 28, 1, 32, 2, p, src, policy));
                mods.add(new Relu("relu1"));
                mods.add(conv(d, "conv2", 1, false, 14, 32, 128, 1, p, src, policy));
                mods.add(new Relu("relu2"));
                mods.add(new MaxPool("pool2", 2));
                mods.add(conv(d, "conv3", 2, false, 7, 128, 128, 1, p, src, policy));
                mods.add(new Relu("relu3"));
                mods.add(new Flatten("flatten"));
                mods.add(linear(d, "fc", 3, false, 128 * 7 * 7, 10, p, src, policy));
            }
            case "mlp" -> {
                mods.add(new Flatten("flatten"));
                mods.add(linear(d, "fc1", 0, true, 784, 256, p, src, policy));
                mods.add(new Relu("relu1"));
                mods.add(linear(d, "fc2", 1, false, 256, 128, p, src, policy));
                mods.add(new Relu("relu2"));
                mods.add(linear(d, "fc3", 2, false, 128, 10, p, src, policy));
            }
            default -> throw new IllegalArgumentException("model '" + model + "' is not known; allowed: "
                    + String.join(", ", NAMES));
        }
        Network net = new Network(model, mods, policy);
        SplittableRandom rng = new SplittableRandom(seed);
        for (GemmLayer g : net.gemmLayers()) {
            g.init(rng);
        }
        return net;
    }

    private static Conv2d conv(Device d, String name, int idx, boolean first, int hw, int c, int f, NmPattern p,
                               BackwardMaskSource src, List<String> policy) {
        return conv(d, name, idx, first, hw, c, f, 1, p, src, policy);
    }

    private static Conv2d conv(Device d, String name, int idx, boolean first, int hw, int c, int f, int stride,
                               NmPattern p, BackwardMaskSource src, List<String> policy) {
        BdwpPolicy.Decision dec = BdwpPolicy.decide(p, c, f);
        policy.add(line(name, dec));
        return new Conv2d(d, name, idx, first, hw, hw, c, f, 3, 1, stride, dec.pattern(), src);
    }

    private static Linear linear(Device d, String name, int idx, boolean first, int in, int out, NmPattern p,
                                 BackwardMaskSource src, List<String> policy) {
        BdwpPolicy.Decision dec = BdwpPolicy.decide(p, in, out);
        policy.add(line(name, dec));
        return new Linear(d, name, idx, first, in, out, dec.pattern(), src);
    }

    private static String line(String name, BdwpPolicy.Decision d) {
        return String.format(Locale.ROOT, "%s: %s%s", name, d.pattern(), d.dense() ? " (" + d.reason() + ")" : "");
    }
}
