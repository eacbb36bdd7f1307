package dev.sieve.arch.piuma;

import dev.sieve.arch.Range;

/**
 * The hash-accumulate unit of a PIUMA core, the scratchpad table of SMASH in hardware: (key, value)
 * requests accumulate into an open-addressing table of {@code slots} one-word slots
 * {@code {occupied, key, sum}}. Its hash function and probe rule are defined here once; the
 * cycle model's tables ({@code dataflow.piuma.LinearProbeTable}), the RTL generator
 * ({@code hdl.piuma.HashAccumulator}) and its golden model all call them, so the probes the
 * model counts are the probes the hardware makes.
 *
 * <p><b>Hash: XOR-fold.</b> The home slot of a key in a table of {@code 2^a} slots is the XOR of
 * the key's {@code a}-bit chunks, low chunk first ({@link #home(long, int)}). In logic each slot
 * address bit is the XOR of {@code ceil(keyWidth / a)} key bits: one LUT level for keys up to six
 * chunks (31-bit keys at 64 slots or more), no multiplier, no carry chain, so the hash and the RAM
 * read fit in the cycle that accepts a request. It is chosen over the two usual alternatives, each
 * measured on SMASH's key streams: a multiplicative (Fibonacci) hash, the model's hash before,
 * needs a 31 x 64-bit multiplier (DSP blocks and a carry chain per cycle) and collided more on
 * R-MAT column keys (V3, R-MAT 10-13: 0.011-0.033 collisions per product against 0.005-0.026);
 * random XOR matrices (H3) and tabulation behave like random hashing, 2-24 times the collisions of
 * the fold there. The fold maps every key below the table size to itself, so the dense low
 * column indices of power-law graphs never collide with each other. Its weakness is common to
 * every XOR-linear hash: two dense fields of one key fold onto the same address bits (a table keyed
 * by (row, column) whose rows share their columns piles up), which the key's layout must avoid.
 *
 * <p><b>Probe rule: linear, wrapping.</b> A key that meets another key in its slot tries the next
 * slot, {@code (slot + 1) mod slots} ({@link #nextSlot}), until it finds itself or an empty slot;
 * the probe count of an insert or update is the number of slots read, 1 when the home slot held
 * the key or was empty. A new key that meets a full table has read every slot ({@code slots}
 * probes) and leaves through the spill port.
 *
 * @param keyWidth   key bits (1 .. 31)
 * @param valueWidth bits of a sum, which wraps modulo {@code 2^valueWidth} (1 .. 32)
 * @param slots      slots of the table in one block RAM (a power of two, 4 .. 65536)
 */
public record HashUnit(int keyWidth, int valueWidth, int slots) {

    /** Key bits: column indices up to 2^31 - 1. */
    public static final Range KEY_WIDTH = new Range(1, 31);
    /** Bits of a sum. */
    public static final Range VALUE_WIDTH = new Range(1, 32);
    /** Slots of the table (also a power of two). */
    public static final Range SLOTS = new Range(4, 65536);
    /** What {@code slots} allows, as the help texts print it. */
    public static final String SLOTS_ALLOWED = "a power of two, " + SLOTS;

    public HashUnit {
        KEY_WIDTH.check("key_width", keyWidth);
        VALUE_WIDTH.check("value_width", valueWidth);
        if (!SLOTS.contains(slots) || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots = " + slots + " is out of range; allowed " + SLOTS_ALLOWED);
        }
    }

    /**
     * The unit beside each core of {@link PiumaConfig#defaults()}: 31-bit keys (column indices up
     * to 2^31 - 1), 32-bit sums, 1024 slots (one and a half BRAM36 at 64-bit slots).
     */
    public static HashUnit defaults() {
        return new HashUnit(31, 32, 1024);
    }

    /** Bits of a slot number, {@code log2(slots)}. */
    public int addressWidth() {
        return Integer.numberOfTrailingZeros(slots);
    }

    /** Bits of a slot word: the occupied flag, the key and the sum. */
    public int slotWidth() {
        return 1 + keyWidth + valueWidth;
    }

    /** The home slot of {@code key} in this unit's table. */
    public int home(long key) {
        return home(key, addressWidth());
    }

    /**
     * The home slot of {@code key} in a table of {@code 2^addressBits} slots: the XOR of the key's
     * {@code addressBits}-bit chunks, low chunk first (the key read as an unsigned 64-bit word,
     * so keys wider than the unit's, as the model's tables may hold, fold the same way).
     */
    public static int home(long key, int addressBits) {
        if (addressBits < 1 || addressBits > 30) {
            throw new IllegalArgumentException("addressBits = " + addressBits + " is out of range; allowed 1 .. 30");
        }
        // a fixed number of chunks for the key's width (32 bits, or 64 when its high word is set), so
        // that the loop's length does not follow the key: a chunk above the key's top bit adds zero
        int width = (key >>> 32) == 0 ? 32 : 64;
        long h = 0;
        for (int s = 0; s < width; s += addressBits) {
            h ^= key >>> s;
        }
        return (int) h & ((1 << addressBits) - 1);
    }

    /**
     * The key bits whose XOR is bit {@code bit} of the home slot, for keys of {@code keyWidth} bits
     * and tables of {@code 2^addressBits} slots: {@code bit, bit + addressBits, ...} (what the
     * generator wires; {@link #home(long, int)} computes the same).
     */
    public static int[] keyBitsOf(int bit, int keyWidth, int addressBits) {
        if (bit < 0 || bit >= addressBits) {
            throw new IllegalArgumentException("bit = " + bit + " is out of range; allowed 0 .. " + (addressBits - 1));
        }
        int n = bit < keyWidth ? (keyWidth - 1 - bit) / addressBits + 1 : 0;
        int[] bits = new int[n];
        for (int m = 0; m < n; m++) {
            bits[m] = bit + m * addressBits;
        }
        return bits;
    }

    /** The slot a probe tries after {@code slot} in a table of {@code slots} slots (a power of two). */
    public static int nextSlot(int slot, int slots) {
        return (slot + 1) & (slots - 1);
    }
}
