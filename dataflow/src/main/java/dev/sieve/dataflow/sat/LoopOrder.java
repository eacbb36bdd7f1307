package dev.sieve.dataflow.sat;

/** The order in which a pass's tiles run (inside one chunk of streamed vectors). */
public enum LoopOrder {
    /**
     * Column tiles outside, reduction tiles inside: a column tile's partial sums stay in the output
     * buffer until its last reduction tile, and are written once. The streamed chunk is reloaded per
     * column tile unless the whole chunk fits in half the ifmap buffer.
     */
    OUTPUT_STATIONARY("os"),
    /**
     * Reduction tiles outside, column tiles inside: each streamed slice is loaded once and reused by
     * every column tile. Partial sums of all outputs stay in the output buffer if they fit in half of
     * it; otherwise they spill to DRAM between reduction tiles.
     */
    INPUT_STATIONARY("is");

    private final String label;

    LoopOrder(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
