/**
 * The {@code simulate} command line: one entry point with a subcommand per job (rtl, demo, and
 * later the accelerators, sweeps, training and benchmarks). Bad input exits with code 2 and one
 * line naming what was wrong and what is allowed; nothing is written before input is checked.
 */
package dev.sieve.sim.cli;
