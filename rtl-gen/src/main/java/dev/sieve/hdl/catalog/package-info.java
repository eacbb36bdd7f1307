/**
 * The blocks {@code simulate rtl} can generate, by name, with their parameters: the library blocks
 * and each family's blocks. The only package of {@code rtl-gen} that names every family.
 */
package dev.sieve.hdl.catalog;
