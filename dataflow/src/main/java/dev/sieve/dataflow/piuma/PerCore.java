package dev.sieve.dataflow.piuma;



/**
 * One {@code long} per core, each on its own 64-byte host cache line. The programs of different
 * cores may be generated on different host threads (see {@link SpgemmRun#coreLocal()}); counters
 * of neighbouring cores in one plain array would share a line and bounce it between the host's
 * cores on every update.
 */
final class PerCore {
    /** Longs per host cache line. */
    private static final int STRIDE = 8;
    private final long[] v;
    private final int cores;

    PerCore(int cores) {
        this.cores = cores;
        // one line more than needed: the first value sits a line past the array's header
        this.v = new long[(cores + 1) * STRIDE];
    }

    long get(int core) {
        return v[(core + 1) * STRIDE];
    }

    void add(int core, long n) {
        v[(core + 1) * STRIDE] += n;
    }

    void set(int core, long x) {
        v[(core + 1) * STRIDE] = x;
    }

    long sum() {
        long s = 0;
        for (int c = 0; c < cores; c++) {
            s += get(c);
        }
        return s;
    }

    long max() {
        long m = 0;
        for (int c = 0; c < cores; c++) {
            m = Math.max(m, get(c));
        }
        return m;
    }
}
