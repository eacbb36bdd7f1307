/**
 * External EDA tools Sieve drives (Verilator, Yosys): locating them, running them with a
 * timeout, and turning their output into Java values. A missing tool is an error whose
 * message carries the command that installs it; nothing here skips silently.
 */
package dev.sieve.tools;
