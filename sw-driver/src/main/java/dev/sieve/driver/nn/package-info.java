/**
 * Tensors and layers for training on a {@link dev.sieve.driver.Device}: convolution (im2col + GEMM),
 * linear, ReLU, max-pool, flatten, softmax cross-entropy, and SGD with momentum, weight decay and the
 * SR-STE term. Activations are channel-major, {@code [C][B][H][W]}, so a layer's GEMM output is its
 * next input without a transpose.
 */
package dev.sieve.driver.nn;
