package dev.sieve.driver.nn;

/**
 * Mean softmax cross-entropy over a batch of logits {@code [classes][B]}; its gradient is
 * {@code (softmax - onehot) / B}. Computed in double per sample, stored as float.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /** Loss, correct count and the logits' gradient. */
    public record Result(double loss, int correct, Act grad) {
    }

    public static Result apply(Act logits, int[] labels, int labelOffset) {
        int k = logits.c();
        int b = logits.b();
        float[] z = logits.data();
        float[] g = new float[z.length];
        double loss = 0;
        int correct = 0;
        double[] e = new double[k];
        for (int n = 0; n < b; n++) {
            int y = labels[labelOffset + n];
            int arg = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                if (z[j * b + n] > max) {
                    max = z[j * b + n];
                    arg = j;
                }
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                e[j] = Math.exp(z[j * b + n] - max);
                sum += e[j];
            }
            loss += Math.log(sum) - (z[y * b + n] - max);
            for (int j = 0; j < k; j++) {
                g[j * b + n] = (float) ((e[j] / sum - (j == y ? 1 : 0)) / b);
            }
            if (arg == y) {
                correct++;
            }
        }
        return new Result(loss / b, correct, new Act(g, k, b, 1, 1));
    }

    /** Index of the largest logit of sample n (ties: the first). */
    public static int argmax(Act logits, int n) {
        int b = logits.b();
        int arg = 0;
        for (int j = 1; j < logits.c(); j++) {
            if (logits.data()[j * b + n] > logits.data()[arg * b + n]) {
                arg = j;
            }
        }
        return arg;
    }
}
