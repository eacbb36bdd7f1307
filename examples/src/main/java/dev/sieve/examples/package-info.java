/**
 * Small runnable programs that show how to use Sieve as a library: writing a hardware generator
 * with the HDL layer, emitting and checking it. The shaded {@code sieve.jar} is built here.
 */
package dev.sieve.examples;
