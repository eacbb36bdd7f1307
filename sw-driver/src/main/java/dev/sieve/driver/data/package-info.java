/**
 * Data loading: IDX files (gzip), as Debian's {@code dataset-fashion-mnist} installs them, checked
 * for magic numbers, counts and sizes.
 */
package dev.sieve.driver.data;
