package dev.sieve.arch.spatten;



/**
 * A SpAtten-style sparse attention accelerator (Wang, Zhang, Han, HPCA 2021): multiplier arrays
 * for Q·K and prob·V, a quick-select top-k engine, K and V SRAMs, an HBM interface, progressive
 * quantization and the cascade pruning schedule. Every field is checked here; an error names the
 * field, the bad value and the allowed range.
 *
 * @param qkMultipliers         multipliers of the Q·K array (512: 8 keys per cycle at head dim 64)
 * @param pvMultipliers         multipliers of the prob·V array (512)
 * @param topkComparators       comparators P of each top-k engine (16)
 * @param topkEngines           top-k engines working on different queries/heads in parallel (1)
 * @param kSramBytes            K SRAM size in bytes (196 KB)
 * @param vSramBytes            V SRAM size in bytes (196 KB)
 * @param hbmChannels           HBM channels (16)
 * @param hbmBytesPerCycle      bytes per cycle per channel (32)
 * @param wordBits              fixed-point word of Q, K, V and probabilities (12)
 * @param msbBits               MSBs of Q/K fetched first under progressive quantization (8)
 * @param lsbBits               LSBs refetched when the max probability is below tau (4)
 * @param requantThreshold      tau: refetch LSBs when the max probability of a row is below it (0.1)
 * @param tokenPruneRatio       fraction of tokens pruned by the last layer (cascade token pruning)
 * @param headPruneRatio        fraction of heads pruned by the last layer (cascade head pruning)
 * @param valuePruneRatio       fraction of each query's V rows skipped by local V pruning
 * @param tokenUnprunedFraction first fraction of layers without token pruning (0.15)
 * @param headUnprunedFraction  first fraction of layers without head pruning (0.30)
 * @param clockGhz              clock in GHz (1.0)
 */
public record SpAttenConfig(int qkMultipliers, int pvMultipliers, int topkComparators, int topkEngines,
                            int kSramBytes,
                            int vSramBytes, int hbmChannels, int hbmBytesPerCycle, int wordBits, int msbBits,
                            int lsbBits, double requantThreshold, double tokenPruneRatio, double headPruneRatio,
                            double valuePruneRatio, double tokenUnprunedFraction, double headUnprunedFraction,
                            double clockGhz) {

    public SpAttenConfig {
        intRange("qk_multipliers", qkMultipliers, 1, 1 << 20);
        intRange("pv_multipliers", pvMultipliers, 1, 1 << 20);
        if (topkComparators < 2 || topkComparators > 64 || Integer.bitCount(topkComparators) != 1) {
            throw new IllegalArgumentException("topk_comparators = " + topkComparators
                    + " is out of range; allowed a power of two in 2 .. 64");
        }
        intRange("topk_engines", topkEngines, 1, 64);
        intRange("k_sram_bytes", kSramBytes, 1024, 1 << 30);
        intRange("v_sram_bytes", vSramBytes, 1024, 1 << 30);
        intRange("hbm_channels", hbmChannels, 1, 1024);
        intRange("hbm_bytes_per_cycle", hbmBytesPerCycle, 1, 4096);
        intRange("word_bits", wordBits, 2, 32);
        intRange("msb_bits", msbBits, 1, wordBits);
        intRange("lsb_bits", lsbBits, 0, wordBits - msbBits);
        if (!(requantThreshold >= 0 && requantThreshold <= 1)) {
            throw new IllegalArgumentException("requant_threshold = " + requantThreshold
                    + " is out of range; allowed 0 .. 1");
        }
        ratio("token_prune_ratio", tokenPruneRatio);
        ratio("head_prune_ratio", headPruneRatio);
        ratio("value_prune_ratio", valuePruneRatio);
        ratio("token_unpruned_fraction", tokenUnprunedFraction);
        ratio("head_unpruned_fraction", headUnprunedFraction);
        if (!(clockGhz > 0 && clockGhz <= 10)) {
            throw new IllegalArgumentException("clock_ghz = " + clockGhz + " is out of range; allowed (0, 10]");
        }
    }

    /**
     * The paper's hardware: 512 + 512 multipliers, 16 comparators, 196 KB K and V SRAMs, 16 HBM
     * channels of 32 B/cycle, 12-bit words with 8 MSBs + 4 LSBs, tau = 0.1, 1 GHz, one top-k engine.
     * Pruning ratios are this toolkit's defaults, close to the GPT-2 Small trace: 87% of tokens gone
     * by the last layer (the trace keeps 12.9% in layers 6..11), 25% of heads, and local V pruning
     * keeping 20% of the kept keys' V rows (the trace: 204 of 993).
     */
    public static SpAttenConfig paper() {
        return new SpAttenConfig(512, 512, 16, 1, 196 * 1024, 196 * 1024, 16, 32, 12, 8, 4, 0.1, 0.87, 0.25, 0.8,
                0.15, 0.30, 1.0);
    }

    /** The same hardware with every pruning and quantization feature off (the dense datapath). */
    public SpAttenConfig dense() {
        return new SpAttenConfig(qkMultipliers, pvMultipliers, topkComparators, topkEngines, kSramBytes, vSramBytes, hbmChannels,
                hbmBytesPerCycle, wordBits, wordBits, 0, 0.0, 0.0, 0.0, 0.0, tokenUnprunedFraction,
                headUnprunedFraction, clockGhz);
    }

    /** A copy with other pruning ratios. */
    public SpAttenConfig withPruning(double tokens, double heads, double values) {
        return new SpAttenConfig(qkMultipliers, pvMultipliers, topkComparators, topkEngines, kSramBytes, vSramBytes, hbmChannels,
                hbmBytesPerCycle, wordBits, msbBits, lsbBits, requantThreshold, tokens, heads, values,
                tokenUnprunedFraction, headUnprunedFraction, clockGhz);
    }

    /** A copy with {@code engines} top-k engines. */
    public SpAttenConfig withTopkEngines(int engines) {
        return new SpAttenConfig(qkMultipliers, pvMultipliers, topkComparators, engines, kSramBytes, vSramBytes,
                hbmChannels, hbmBytesPerCycle, wordBits, msbBits, lsbBits, requantThreshold, tokenPruneRatio,
                headPruneRatio, valuePruneRatio, tokenUnprunedFraction, headUnprunedFraction, clockGhz);
    }

    /** HBM bytes per cycle over all channels. */
    public int hbmBytesPerCycleTotal() {
        return hbmChannels * hbmBytesPerCycle;
    }

    /** True when Q/K are fetched in two parts (MSBs first, LSBs on demand). */
    public boolean progressiveQuantization() {
        return msbBits < wordBits;
    }

    private static void intRange(String field, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(field + " = " + value + " is out of range; allowed " + lo + " .. " + hi);
        }
    }

    private static void ratio(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " = " + value + " is out of range; allowed [0, 1)");
        }
    }
}
