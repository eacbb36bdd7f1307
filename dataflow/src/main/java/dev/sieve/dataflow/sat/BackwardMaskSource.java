package dev.sieve.dataflow.sat;

/** Where the data-gradient pass's N:M mask (along output channels) is computed from (a BDWP setting). */
public enum BackwardMaskSource {
    /** Prune the dense weights again, along the output channels: both masks see every weight. */
    DENSE,
    /** Prune the forward-pruned weights along the output channels: W^T keeps a subset of the forward weights. */
    FORWARD_PRUNED
}
