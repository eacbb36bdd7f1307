package dev.sieve.arch.spatten;

import dev.sieve.arch.Range;

/**
 * What one attention query asks of a SpAtten pipeline: the K rows it is scored against, the V
 * rows it multiplies, their fetched bit widths, whether its K LSBs are fetched again after the
 * probability check, and what the top-k engine does for it. One trace row of a generation step is
 * one such query; {@link SpAttenConfig#queryCost} prices it.
 *
 * @param headDim         head dimension D (64 in GPT-2 and BERT)
 * @param keys            K rows scored (after cascade token pruning), at least 1
 * @param values          V rows fetched and multiplied (after local V pruning), 1 .. keys
 * @param keyBits         bits of each K element fetched first (its MSBs, or the whole word), 1 .. 32
 * @param refetchBits     K LSB bits fetched again when the max probability is below tau, then Q·K runs
 *                        again over every key; 0 = no refetch
 * @param valueBits       bits of each V element fetched, 1 .. 32
 * @param queryBits       bits of each Q element fetched, 1 .. 32
 * @param selectionCycles cycles the top-k engine works after the last score arrived (its rounds and
 *                        output pass), or 0: no selection ({@code values >= keys}) or the second head
 *                        of a fused 6-bit pair, whose selection the first head's request already paid
 */
public record QueryShape(int headDim, int keys, int values, int keyBits, int refetchBits, int valueBits,
                         int queryBits, long selectionCycles) {

    private static final Range BITS = new Range(1, 32);

    public QueryShape {
        new Range(1, 1 << 16).check("head_dim", headDim);
        new Range(1, 1 << 20).check("keys", keys);
        new Range(1, keys).check("values", values);
        BITS.check("key_bits", keyBits);
        new Range(0, 32).check("refetch_bits", refetchBits);
        BITS.check("value_bits", valueBits);
        BITS.check("query_bits", queryBits);
        new Range(0, Long.MAX_VALUE / 4).check("selection_cycles", selectionCycles);
    }

    /** True when the scores pass through the top-k engine: fewer V rows are kept than keys scored. */
    public boolean selects() {
        return values < keys;
    }

    /** Bytes of the Q vector. */
    public long queryBytes() {
        return rowBytes(headDim, queryBits);
    }

    /** Bytes of K fetched first: {@code keys} rows of D elements of {@code keyBits}. */
    public long keyBytes() {
        return keys * rowBytes(headDim, keyBits);
    }

    /** Bytes of K LSBs fetched again, 0 without a refetch. */
    public long refetchBytes() {
        return keys * rowBytes(headDim, refetchBits);
    }

    /** Bytes of V fetched. */
    public long valueBytes() {
        return values * rowBytes(headDim, valueBits);
    }

    /** Bytes of one row of {@code d} elements of {@code bits} bits, rounded up to whole bytes. */
    public static long rowBytes(int d, int bits) {
        return ((long) d * bits + 7) / 8;
    }
}
