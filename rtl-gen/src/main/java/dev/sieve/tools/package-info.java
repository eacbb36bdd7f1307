/**
 * External EDA tools Sieve drives (Verilator, Yosys): locating them, running them with a
 * timeout, and turning their output into Java values: {@link dev.sieve.tools.VerilatorLint} gives a
 * {@link dev.sieve.tools.LintReport} of file:line findings, {@link dev.sieve.tools.YosysEstimate}
 * gives a {@link dev.sieve.tools.ResourceReport} of LUT/FF/DSP/BRAM counts against an XCVU9P, and
 * {@link dev.sieve.tools.HierarchicalEstimate} the same for a whole design, module by module.
 * A missing tool is an error whose message carries the command that installs it
 * ({@code scripts/install-tools}); nothing here skips silently.
 */
package dev.sieve.tools;
