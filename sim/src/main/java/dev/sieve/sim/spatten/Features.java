package dev.sieve.sim.spatten;

/**
 * Which SpAtten techniques a run uses, in the order of the paper's speedup breakdown: the dedicated
 * datapath alone (dense), + cascade token/head and local V pruning (top-k by sorting), + the
 * top-k engine, + progressive quantization.
 */
public record Features(String label, boolean pruning, boolean topkEngine, boolean quantization) {
    public static final Features DENSE = new Features("dedicated datapath (dense)", false, false, false);
    public static final Features PRUNING = new Features("+ cascade token/head + local V pruning", true, false, false);
    public static final Features TOPK = new Features("+ top-k engine", true, true, false);
    public static final Features FULL = new Features("+ progressive quantization", true, true, true);

    /** The four steps of the breakdown, in order. */
    public static java.util.List<Features> breakdown() {
        return java.util.List.of(DENSE, PRUNING, TOPK, FULL);
    }
}
