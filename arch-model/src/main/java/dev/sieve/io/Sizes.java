package dev.sieve.io;

import java.nio.file.Path;

/**
 * Checked size arithmetic: every size Sieve derives from user input is a {@code long} computed
 * here, with an explicit limit, and an overflow or a size over its limit is one
 * {@link InputException} naming the file, line and field and the limit, never a wrapped-around
 * number. Allocations a file asks for (entries declared in a header, sizes of compressed data) are
 * checked against the heap the run can have before anything is allocated.
 */
public final class Sizes {

    /** Longest Java array. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Sizes() {
    }

    /**
     * The product of {@code factors}; fails naming {@code field} when it passes {@code limit} (or
     * {@code Long.MAX_VALUE}). Factors must not be negative.
     */
    public static long product(Path file, int line, String field, long limit, long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f < 0) {
                throw new IllegalArgumentException(field + ": negative factor " + f);
            }
            try {
                p = Math.multiplyExact(p, f);
            } catch (ArithmeticException e) {
                throw tooLarge(file, line, field, "passes " + Long.MAX_VALUE, limit);
            }
        }
        if (p > limit) {
            throw tooLarge(file, line, field, Long.toString(p), limit);
        }
        return p;
    }

    /**
     * Checks that {@code count} elements of {@code bytesEach} bytes can be allocated: at most
     * {@link #MAX_ARRAY} elements and at most {@code heapBudget()} bytes. Returns {@code count} as
     * an int.
     */
    public static int requireHeap(Path file, int line, String field, long count, int bytesEach) {
        if (count < 0) {
            throw new InputException(file, line, field, count + " is out of range; allowed 0 or more");
        }
        long budget = heapBudget();
        if (count > MAX_ARRAY || count > budget / bytesEach) {
            throw new InputException(file, line, field, String.format(java.util.Locale.ROOT,
                    "%d needs %.1f MiB of memory; this run can have %.1f MiB (raise it with java -Xmx)", count,
                    (double) count * bytesEach / (1 << 20), (double) Math.min(budget, MAX_ARRAY * bytesEach) / (1 << 20)));
        }
        return (int) count;
    }

    /** What one input may take: half of the heap the JVM may still grow to. */
    public static long heapBudget() {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        return Math.max(0, (rt.maxMemory() - used) / 2);
    }

    private static InputException tooLarge(Path file, int line, String field, String value, long limit) {
        return new InputException(file, line, field, value + " is too large; allowed up to " + limit);
    }
}
