/** Host thread pools shared by the simulators, sweeps and the training kernel. */
package dev.sieve.concurrent;
