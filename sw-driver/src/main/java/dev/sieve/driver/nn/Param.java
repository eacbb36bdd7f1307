package dev.sieve.driver.nn;

/**
 * A trainable tensor: the dense master values, their gradient and momentum; {@code decay} says whether
 * weight decay applies (weights yes, biases no); {@code keep} is the current forward N:M mask for the
 * SR-STE term (null: dense).
 */
public final class Param {
    final String name;
    final float[] value;
    final float[] grad;
    final float[] momentum;
    final boolean decay;
    boolean[] keep;

    Param(String name, float[] value, boolean decay) {
        this.name = name;
        this.value = value;
        this.grad = new float[value.length];
        this.momentum = new float[value.length];
        this.decay = decay;
    }

    public String name() {
        return name;
    }

    public float[] value() {
        return value;
    }

    public float[] grad() {
        return grad;
    }

    public float[] momentum() {
        return momentum;
    }

    public boolean[] keep() {
        return keep;
    }
}
