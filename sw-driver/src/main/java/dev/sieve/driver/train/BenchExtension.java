package dev.sieve.driver.train;

import dev.sieve.sim.cli.Simulate;

/** Adds {@code bench-gemm} to {@code simulate} (ServiceLoader). */
public final class BenchExtension implements Simulate.Extension {
    @Override
    public Object command() {
        return new BenchGemmCommand();
    }
}
