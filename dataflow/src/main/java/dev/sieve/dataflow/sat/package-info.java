/**
 * How a training step maps onto a SAT-style N:M array: the BDWP decomposition of each layer into
 * forward, data-gradient and weight-gradient matrix products, N:M compression of the weights in both
 * directions, tiling with the DRAM traffic each tile causes, and the offline scheduler that picks
 * loop order, tile sizes and the row-segment interleave per layer and pass. Costs come from a model
 * passed in ({@link dev.sieve.dataflow.sat.ScheduleCost}); this package never times anything itself.
 */
package dev.sieve.dataflow.sat;
