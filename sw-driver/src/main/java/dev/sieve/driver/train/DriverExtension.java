package dev.sieve.driver.train;

import dev.sieve.sim.cli.Simulate;

/** Adds {@code train} to {@code simulate} (ServiceLoader). */
public final class DriverExtension implements Simulate.Extension {
    @Override
    public Object command() {
        return new TrainCommand();
    }
}
