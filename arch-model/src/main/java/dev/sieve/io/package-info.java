/**
 * Small file utilities every module shares: outputs are written atomically (a temporary file in
 * the same folder, then a rename), so an interrupted run never leaves a half-written file.
 */
package dev.sieve.io;
