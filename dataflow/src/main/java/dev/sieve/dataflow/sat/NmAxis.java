package dev.sieve.dataflow.sat;

/** Which way the groups of M run over a weight matrix {@code W[F][K]} (F filters, K = Fh*Fw*C). */
public enum NmAxis {
    /** Groups of M consecutive k within each filter row: the forward pass's reduction dimension. */
    INPUT_CHANNELS,
    /** Groups of M consecutive filters within each k column: W^T's reduction dimension (data gradient). */
    OUTPUT_CHANNELS
}
