/**
 * End-to-end BDWP N:M training on a device: the training loop, checkpoints with a checksum, the
 * {@code simulate train} and {@code simulate bench-gemm} commands (added to {@code simulate} through
 * its extension hook).
 */
package dev.sieve.driver.train;
