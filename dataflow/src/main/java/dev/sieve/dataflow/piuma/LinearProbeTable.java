package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.HashUnit;
import java.util.Arrays;

/**
 * An open-addressing hash table with linear probing, {@code long} keys and {@code double} sums,
 * as the scratchpad tables of SMASH hold them, hashed and probed as the hash-accumulate unit does
 * ({@link HashUnit#home(long, int)}, {@link HashUnit#nextSlot}): a table of {@code 2^a} slots is the
 * unit's table at {@code a} address bits. Clearing is by epoch (each slot remembers the
 * epoch that wrote it; older slots count as empty), the way a hardware table avoids a sweep; a
 * keys-only table (timing runs) is swept instead, which the probes cannot tell apart.
 * {@link #accumulate} reports how many slots it probed, which the operation streams turn into
 * one atomic per probe.
 */
public final class LinearProbeTable {
    private long[] keys;
    private double[] sums;
    private int[] epochOf;
    /**
     * Keys-only tables: per slot the key + 1 (0 = empty) in four bytes, keys in [0, 2^32 - 1); cleared
     * by a sweep of the previous size at reset (half the host memory of a key and an epoch, and the
     * probes touch half the host cache lines).
     */
    private int[] keyPlusOne;
    private int epoch = 1;
    private int size;
    private int addressBits;
    private int used;

    /** Keys only: the probes and the new keys are counted, the values are not summed. */
    private final boolean keysOnly;

    public LinearProbeTable(int capacity) {
        this(capacity, false);
    }

    /** A table; {@code keysOnly} drops the sums (a timing-only run that needs no product values). */
    public LinearProbeTable(int capacity, boolean keysOnly) {
        this.keysOnly = keysOnly;
        resize(capacity);
    }

    /** Empties the table and sets its size (a power of two, at least 2); reuses storage. */
    public void reset(int capacity) {
        int storage = keysOnly ? keyPlusOne.length : keys.length;
        if (capacity > storage) {
            resize(capacity);
        } else {
            if (keysOnly) {
                Arrays.fill(keyPlusOne, 0, size, 0);
            }
            setSize(capacity);
        }
        epoch++;
        used = 0;
    }

    private void resize(int capacity) {
        int cap = Math.max(2, Integer.highestOneBit(Math.max(2, capacity - 1)) << 1);
        if (keysOnly) {
            keyPlusOne = new int[cap];
        } else {
            keys = new long[cap];
            sums = new double[cap];
            epochOf = new int[cap];
        }
        setSize(capacity);
    }

    private void setSize(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("table size " + capacity + " is not a power of two >= 2");
        }
        size = capacity;
        addressBits = Integer.numberOfTrailingZeros(capacity);
    }

    public int size() {
        return size;
    }

    public int used() {
        return used;
    }

    /** The home slot of {@code key}: the hash-accumulate unit's hash at this table's size. */
    public int home(long key) {
        return HashUnit.home(key, addressBits);
    }

    /**
     * Adds {@code value} to {@code key}'s sum, inserting it if absent. Returns the number of slots
     * probed (1 when the home slot held the key or was empty), negated when the key was new.
     */
    public int accumulate(long key, double value) {
        return accumulate(key, home(key), value);
    }

    /**
     * {@link #accumulate(long, double)} for a caller that already holds {@code home == home(key)}
     * (SMASH's insert replays the probed slots from it), so the hash is computed once per product.
     */
    int accumulate(long key, int home, double value) {
        if (keysOnly) {
            return insertKey(key, home);
        }
        int slots = size;
        int s = home;
        int probes = 1;
        while (true) {
            if (epochOf[s] != epoch) {
                if (used == size) {
                    throw new IllegalStateException("hash table of " + size + " slots is full");
                }
                epochOf[s] = epoch;
                keys[s] = key;
                sums[s] = value;
                used++;
                return -probes;
            }
            if (keys[s] == key) {
                sums[s] += value;
                return probes;
            }
            s = HashUnit.nextSlot(s, slots);
            probes++;
        }
    }

    /** {@link #accumulate} for a keys-only table: four bytes per slot, no sums. */
    private int insertKey(long key, int home) {
        if (key < 0 || key >= 0xFFFFFFFFL) {
            throw new IllegalArgumentException("key " + key + " of a keys-only table is outside [0, 2^32 - 1)");
        }
        int want = (int) (key + 1);
        int slots = size;
        int s = home;
        int probes = 1;
        while (true) {
            int t = keyPlusOne[s];
            if (t == 0) {
                if (used == size) {
                    throw new IllegalStateException("hash table of " + size + " slots is full");
                }
                keyPlusOne[s] = want;
                used++;
                return -probes;
            }
            if (t == want) {
                return probes;
            }
            s = HashUnit.nextSlot(s, slots);
            probes++;
        }
    }

    /** True when slot {@code s} holds a key of the current epoch. */
    public boolean occupied(int s) {
        return keysOnly ? keyPlusOne[s] != 0 : epochOf[s] == epoch;
    }

    public long key(int s) {
        return keysOnly ? (keyPlusOne[s] & 0xFFFFFFFFL) - 1 : keys[s];
    }

    public double sum(int s) {
        if (keysOnly) {
            throw new IllegalStateException("a keys-only table keeps no sums");
        }
        return sums[s];
    }

    /** Drops all storage beyond the current size (for tables that grew for one large row). */
    public void trim() {
        if (keysOnly) {
            if (keyPlusOne.length > 4 * size && keyPlusOne.length > 4096) {
                keyPlusOne = Arrays.copyOf(keyPlusOne, size);
            }
        } else if (keys.length > 4 * size && keys.length > 4096) {
            keys = Arrays.copyOf(keys, size);
            sums = Arrays.copyOf(sums, size);
            epochOf = Arrays.copyOf(epochOf, size);
        }
    }
}
