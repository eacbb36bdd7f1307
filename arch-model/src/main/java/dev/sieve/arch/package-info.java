/**
 * What the hardware is: immutable, validated descriptions shared by the cycle models and the RTL
 * generators. Facts every family uses live here (N:M patterns, number formats, the energy table);
 * each family's own record lives in its sub-package ({@code sat}, {@code spatten}, {@code piuma}).
 */
package dev.sieve.arch;
