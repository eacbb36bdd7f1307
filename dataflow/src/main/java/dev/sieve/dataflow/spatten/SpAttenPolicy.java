package dev.sieve.dataflow.spatten;

import dev.sieve.arch.Range;
import dev.sieve.arch.spatten.SpAttenConfig;
import java.util.List;

/**
 * What SpAtten's algorithm does on the hardware of a {@link SpAttenConfig}: which techniques run
 * and their settings. The one switchboard of a run, the model's second input beside the hardware.
 *
 * <p>The switches follow the paper's speedup breakdown ({@link #breakdown}): {@code pruning}
 * (cascade token and head pruning and local V pruning), {@code topkEngine} (selections on the
 * top-k engine rather than by sorting on the datapath) and {@code quantization} (progressive
 * quantization). The settings hold whether or not their switch is on, so turning a technique off
 * and on again needs no other input.
 *
 * @param pruning               cascade token/head pruning and local V pruning run
 * @param topkEngine            selections run on the top-k engine (else a sort on the datapath)
 * @param quantization          progressive quantization runs
 * @param tokenPruneRatio       fraction of tokens pruned by the last layer, [0, 1) (0.87)
 * @param headPruneRatio        fraction of heads pruned by the last layer, [0, 1) (0.25)
 * @param valuePruneRatio       fraction of each query's V rows local V pruning skips, [0, 1) (0.8)
 * @param tokenUnprunedFraction first fraction of layers without token pruning, [0, 1) (0.15)
 * @param headUnprunedFraction  first fraction of layers without head pruning, [0, 1) (0.30)
 * @param msbBits               MSBs of Q/K fetched first, 1 .. the hardware's word (8)
 * @param lsbBits               LSBs refetched when a row's max probability is below tau, 0 .. word - msbBits (4)
 * @param requantThreshold      tau, 0 .. 1 (0.1)
 */
public record SpAttenPolicy(boolean pruning, boolean topkEngine, boolean quantization, double tokenPruneRatio,
                            double headPruneRatio, double valuePruneRatio, double tokenUnprunedFraction,
                            double headUnprunedFraction, int msbBits, int lsbBits, double requantThreshold) {

    public SpAttenPolicy {
        ratio("token_prune_ratio", tokenPruneRatio);
        ratio("head_prune_ratio", headPruneRatio);
        ratio("value_prune_ratio", valuePruneRatio);
        ratio("token_unpruned_fraction", tokenUnprunedFraction);
        ratio("head_unpruned_fraction", headUnprunedFraction);
        if (msbBits < 1) {
            throw new IllegalArgumentException("msb_bits = " + msbBits + " is out of range; allowed 1 .. word_bits");
        }
        if (lsbBits < 0) {
            throw new IllegalArgumentException("lsb_bits = " + lsbBits
                    + " is out of range; allowed 0 .. word_bits - msb_bits");
        }
        if (!(requantThreshold >= 0 && requantThreshold <= 1)) {
            throw new IllegalArgumentException("requant_threshold = " + requantThreshold
                    + " is out of range; allowed 0 .. 1");
        }
    }

    /**
     * Every technique on, with this toolkit's default settings, close to the GPT-2 Small trace: 87%
     * of tokens gone by the last layer (the trace keeps 12.9% in layers 6..11), 25% of heads, local
     * V pruning keeping 20% of the kept keys' V rows (the trace: 204 of 993), none in the first 15%
     * (tokens) and 30% (heads) of layers; 8 MSBs first, 4 LSBs refetched below tau = 0.1.
     */
    public static SpAttenPolicy paper() {
        return new SpAttenPolicy(true, true, true, 0.87, 0.25, 0.8, 0.15, 0.30, 8, 4, 0.1);
    }

    /** A copy with other pruning ratios. */
    public SpAttenPolicy withPruning(double tokens, double heads, double values) {
        return new SpAttenPolicy(pruning, topkEngine, quantization, tokens, heads, values, tokenUnprunedFraction,
                headUnprunedFraction, msbBits, lsbBits, requantThreshold);
    }

    /** A copy with the three switches set, every setting kept. */
    public SpAttenPolicy withTechniques(boolean pruningOn, boolean topkEngineOn, boolean quantizationOn) {
        return new SpAttenPolicy(pruningOn, topkEngineOn, quantizationOn, tokenPruneRatio, headPruneRatio,
                valuePruneRatio, tokenUnprunedFraction, headUnprunedFraction, msbBits, lsbBits, requantThreshold);
    }

    /** Every technique off: the dedicated datapath alone, dense. */
    public SpAttenPolicy dense() {
        return withTechniques(false, false, false);
    }

    /**
     * Throws unless this policy fits {@code hw}: {@code msbBits} within its word and {@code lsbBits}
     * within what is left of it.
     */
    public SpAttenPolicy requireFits(SpAttenConfig hw) {
        new Range(1, hw.wordBits()).check("msb_bits", msbBits);
        new Range(0, hw.wordBits() - msbBits).check("lsb_bits", lsbBits);
        return this;
    }

    /** True when Q/K are fetched in two parts on {@code hw}: quantization on and fewer MSBs than its word. */
    public boolean progressiveQuantization(SpAttenConfig hw) {
        return quantization && msbBits < hw.wordBits();
    }

    /** One step of the speedup breakdown: its label and the policy it runs. */
    public record Step(String label, SpAttenPolicy policy) {
    }

    /**
     * The paper's speedup breakdown over this policy's settings, each step adding one technique:
     * the dedicated datapath alone (dense), + cascade token/head and local V pruning with a
     * conventional top-k (a sort on the engine's comparators), + the quick-select top-k engine, +
     * progressive quantization.
     */
    public List<Step> breakdown() {
        return List.of(new Step("dedicated datapath (dense)", withTechniques(false, false, false)),
                new Step("+ cascade pruning, conventional top-k", withTechniques(true, false, false)),
                new Step("+ top-k engine", withTechniques(true, true, false)),
                new Step("+ progressive quantization", withTechniques(true, true, true)));
    }

    private static void ratio(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " = " + value + " is out of range; allowed [0, 1)");
        }
    }
}
