package dev.sieve.dataflow.piuma;



/**
 * One operation of a hardware thread, packed in a {@code long} so that streams of a billion
 * operations cost no allocation:
 * {@code kind[63:60] alu[59:52] words[51:48] core[47:40] address[39:0]}.
 *
 * <ul>
 *   <li>{@code alu}: integer/ALU cycles the thread spends in its pipeline before the operation
 *       leaves it (address arithmetic, compares, multiply, hash), 0..255;</li>
 *   <li>{@code words}: 8-byte words moved (loads, stores) or atomic-unit operations (atomics), 1..15;</li>
 *   <li>{@code core}: the core whose scratchpad or atomic unit is addressed (SPAD ops, atomics), or
 *       the barrier scope ({@link #CHIP} for the whole chip);</li>
 *   <li>{@code address}: byte address in DRAM or in that core's scratchpad.</li>
 * </ul>
 */
public final class Op {
    private Op() {
    }

    /** ALU work only: occupies the pipeline for {@code alu} cycles (at least 1). */
    public static final int COMPUTE = 0;
    /** DRAM load through the core's cache; the thread waits for the data. */
    public static final int LOAD = 1;
    /** DRAM load that bypasses the cache (streamed or written data); the thread waits. */
    public static final int LOAD_STREAM = 2;
    /** DRAM store; posted (the thread waits only for a DRAM slot, not for the write). */
    public static final int STORE = 3;
    /** Scratchpad load (local or a remote core's); the thread waits. */
    public static final int SPAD_LOAD = 4;
    /** Scratchpad store; posted. */
    public static final int SPAD_STORE = 5;
    /**
     * Atomic in the owning core's atomic unit ({@code words} unit operations, for example a
     * compare-and-swap followed by a posted add); the thread waits for the first result.
     */
    public static final int ATOMIC = 6;
    /** Atomic whose result is not needed (posted add, release); the thread waits only for a slot. */
    public static final int ATOMIC_POSTED = 7;
    /** Wait until every live thread of the scope ({@code core}, or {@link #CHIP}) arrives. */
    public static final int BARRIER = 8;
    /** End of the stream (never issued). */
    public static final long END = -1L;

    /** Barrier scope of the whole chip. */
    public static final int CHIP = 255;

    public static final long ADDRESS_MASK = (1L << 40) - 1;

    public static long make(int kind, int alu, int words, int core, long address) {
        return ((long) kind << 60) | ((long) Math.min(alu, 255) << 52) | ((long) words << 48) | ((long) core << 40)
                | (address & ADDRESS_MASK);
    }

    public static int kind(long op) {
        return (int) (op >>> 60);
    }

    public static int alu(long op) {
        return (int) (op >>> 52) & 0xFF;
    }

    public static int words(long op) {
        return (int) (op >>> 48) & 0xF;
    }

    public static int core(long op) {
        return (int) (op >>> 40) & 0xFF;
    }

    public static long address(long op) {
        return op & ADDRESS_MASK;
    }

    /** Issue slots the operation takes in its pipeline: its ALU cycles plus the issue itself. */
    public static int slots(long op) {
        return kind(op) == COMPUTE ? Math.max(1, alu(op)) : alu(op) + 1;
    }

    public static String name(int kind) {
        return switch (kind) {
            case COMPUTE -> "compute";
            case LOAD -> "load";
            case LOAD_STREAM -> "load_stream";
            case STORE -> "store";
            case SPAD_LOAD -> "spad_load";
            case SPAD_STORE -> "spad_store";
            case ATOMIC -> "atomic";
            case ATOMIC_POSTED -> "atomic_posted";
            case BARRIER -> "barrier";
            default -> "kind" + kind;
        };
    }

    /** Number of operation kinds (for statistics arrays). */
    public static final int KINDS = 9;
}
