package dev.sieve.dataflow.sat;

/** The three matrix products of one training step of one layer (BDWP, Fang et al., TCAD 2023). */
public enum Pass {
    /** {@code Y = W * X}: W pruned N:M along the input channels (its reduction dimension). */
    FORWARD("fwd"),
    /** {@code dX = W^T * dY}: W^T pruned N:M along the output channels (its reduction dimension). */
    DATA_GRADIENT("dgrad"),
    /** {@code dW = dY * X^T}: dense. */
    WEIGHT_GRADIENT("wgrad");

    private final String label;

    Pass(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
