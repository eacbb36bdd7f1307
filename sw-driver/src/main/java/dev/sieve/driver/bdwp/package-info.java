/**
 * BDWP N:M training policy: which layers run N:M (forward groups along the input channels, backward
 * groups along the output channels) and which stay dense, and why.
 */
package dev.sieve.driver.bdwp;
