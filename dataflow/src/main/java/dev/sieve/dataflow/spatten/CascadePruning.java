package dev.sieve.dataflow.spatten;

/**
 * SpAtten's cascade pruning schedule. Token pruning: no pruning in the first
 * {@code ceil(L * tokenUnprunedFraction)} layers, then the pruned fraction of the tokens ramps
 * linearly to {@code tokenPruneRatio} at the last layer; layer l keeps {@code floor(T * (1 - p_l))}
 * of the T tokens (at least 1), and since p_l never falls, a token pruned once stays pruned.
 * Head pruning works the same way over heads with its own fraction and ratio. The settings come
 * from a {@link SpAttenPolicy}; with its {@code pruning} switch off every token, head and V row stays.
 */
public final class CascadePruning {
    private CascadePruning() {
    }

    /** Pruned fraction at layer {@code layer} of {@code layers}. */
    public static double ratio(int layer, int layers, double unprunedFraction, double finalRatio) {
        int first = (int) Math.ceil(layers * unprunedFraction - 1e-9);
        if (layer < first || finalRatio == 0) {
            return 0;
        }
        int rampLayers = layers - first;
        return finalRatio * (layer - first + 1) / rampLayers;
    }

    /** Tokens kept at {@code layer}, out of {@code tokens}. */
    public static int tokensKept(SpAttenPolicy c, int layer, int layers, int tokens) {
        return kept(tokens, c.pruning() ? ratio(layer, layers, c.tokenUnprunedFraction(), c.tokenPruneRatio()) : 0);
    }

    /** Heads kept at {@code layer}, out of {@code heads}. */
    public static int headsKept(SpAttenPolicy c, int layer, int layers, int heads) {
        return kept(heads, c.pruning() ? ratio(layer, layers, c.headUnprunedFraction(), c.headPruneRatio()) : 0);
    }

    /** V rows fetched per query after local V pruning, out of {@code keys} kept keys. */
    public static int valuesKept(SpAttenPolicy c, int keys) {
        return kept(keys, c.pruning() ? c.valuePruneRatio() : 0);
    }

    /** What stays of {@code n} when the fraction {@code p} is pruned: {@code floor(n * (1 - p))}, at least 1. */
    private static int kept(int n, double p) {
        return Math.max(1, (int) Math.floor(n * (1 - p) + 1e-9));
    }
}
