package dev.sieve.hdl.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.hdl.Bits;
import java.util.Optional;

/**
 * What the {@link SatAccelerator} of a {@link SatConfig} holds and runs, derived in one place: the
 * word widths and depths of its three buffers (from the record's ifmap/weight/ofmap KiB), the AXI
 * beats of one buffer word, the DRAM layout of its regions, and the rule that refuses a
 * {@link Command} the built hardware cannot run. The generator builds its status error bit from the
 * same numbers, so the Java check ({@link #refusal}) and the hardware agree.
 *
 * <h2>Buffers</h2>
 * <ul>
 *   <li>weight buffer: one word per PE row of a tile, {@code C * L} entries of value + index bits
 *       (the array's {@code w_row}); depth {@code floor(weightKiB * 8192 / word bits)};</li>
 *   <li>activation buffer: one word per (reduction tile, vector), {@code R * lanes} values (the
 *       array's {@code act}); depth from ifmapKiB;</li>
 *   <li>output buffer: one word per (column tile, vector), {@code C} 32-bit accumulators; depth from
 *       ofmapKiB, in M = maxS banks ({@link #outBankDepth}).</li>
 * </ul>
 *
 * <h2>DRAM regions</h2>
 * Each region is a sequence of words, word {@code i} at {@code base + i * stride}, where
 * {@code stride = 16 * 2^ceil(log2 beats)} bytes and {@code beats = ceil(word bits / 128)}: one
 * INCR burst of {@code beats} 128-bit beats per word, little-endian (beat b holds word bits
 * {@code [128b + 127 : 128b]}), never crossing a 4 KiB boundary when the base is 4 KiB aligned.
 * Weight and activation words are sized for the pass's pattern p, not for the widest pattern the
 * buffers hold ({@link #weightBits(NmPattern)}, {@link #actBits(NmPattern)}): a weight word is
 * {@code C * L} entries of {@code value + log2(M)} bits (value only in a dense pass), an activation
 * word {@code R * kPerPe(p)} values (row r's values at {@code r * kPerPe(p)}); the loader spreads
 * them onto the buffer word's fields (entry j's index zero-extended, row r's values onto lanes
 * {@code r * lanes ..}), so a dense pass on an accelerator built for 2:8 moves a quarter of the
 * activation beats it would move in 2:8 words. Outputs are buffer words.
 * Weights: tile {@code t = ct * kGroups + g}, its R rows in order (word {@code t * R + r});
 * activations: word {@code g * vectors + p}; outputs: word {@code ct * vectors + p}. {@code g} is a
 * reduction group of R rows ({@link Command#kGroups}): with S row segments it holds the S segment
 * tiles {@code g S .. g S + S - 1}, segment tile {@code g S + j} in rows {@code j R/S .. (j+1) R/S - 1},
 * which is the one-segment tile {@code g} row for row; so the regions of a pass are the same for every S.
 */
public final class SatAcceleratorLayout {
    /** AXI4 data width in bits: 16 bytes per beat. */
    public static final int BUS_BITS = 128;
    /** Bytes per beat. */
    public static final int BUS_BYTES = BUS_BITS / 8;
    /** AXI4 INCR bursts carry at most 256 beats; a buffer word must fit one burst. */
    public static final int MAX_BEATS = 256;
    /** Width of a count field of the descriptor (vectors, tiles, chunk). */
    public static final int COUNT_BITS = 16;
    /** Region bases must be aligned to this many bytes. */
    public static final int BASE_ALIGN = 4096;

    /** {@code bytes} rounded up to {@link #BASE_ALIGN}: where the next region may start. */
    public static long align(long bytes) {
        return (bytes + BASE_ALIGN - 1) / BASE_ALIGN * BASE_ALIGN;
    }

    private final SatDatapath dp;
    private final boolean pregenUnit;

    /**
     * The layout of {@code dp}'s accelerator; {@code pregenUnit} builds the N:M pre-generation unit
     * (when the record lists an N:M pattern). Without it the accelerator refuses pre-generation.
     */
    public SatAcceleratorLayout(SatDatapath dp, boolean pregenUnit) {
        this.dp = dp;
        this.pregenUnit = pregenUnit;
        // steps follow each other every reload = C + D (R - 1) cycles or more, and two outputs of the
        // same word (reduction tiles of one column tile in consecutive steps) must be that far apart
        // for the output buffer's read, add (1 + A cycles) and write-back
        SatConfig cfg = dp.config();
        long reload = cfg.cols() + (long) cfg.psumLatency() * (cfg.rows() - 1);
        if (reload < cfg.accumulateLatency() + 2) {
            throw new IllegalArgumentException("a " + cfg.rows() + "x" + cfg.cols() + " " + dp.format().label()
                    + " array starts a step every " + reload + " cycles, faster than the output buffer adds ("
                    + (cfg.accumulateLatency() + 2) + " cycles); allowed: C + psum latency x (R - 1) >= "
                    + (cfg.accumulateLatency() + 2) + " (a larger array)");
        }
        check("weight", weightBits());
        check("activation", actBits());
        check("output", outBits());
        if (hasPregen()) {
            check("pre-generation block", pregenBlockBits());
            check("pre-generation result", pregenResultBits());
        }
        if (weightDepth() < 2 || actDepth() < 2 || outBankDepth() < 2) {
            throw new IllegalArgumentException("buffers of " + dp.config().weightKiB() + "/" + dp.config().ifmapKiB()
                    + "/" + dp.config().ofmapKiB() + " KiB hold fewer than 2 words of " + weightBits() + "/"
                    + actBits() + "/" + outBits() + " bits; allowed: at least 2 words each");
        }
    }

    /** The layout of {@code cfg}'s accelerator, with a pre-generation unit when it lists an N:M pattern. */
    public static SatAcceleratorLayout of(SatConfig cfg) {
        return new SatAcceleratorLayout(SatDatapath.of(cfg), true);
    }

    private static void check(String buffer, int bits) {
        if (beats(bits) > MAX_BEATS) {
            throw new IllegalArgumentException("the " + buffer + " buffer word is " + bits + " bits, "
                    + beats(bits) + " AXI beats; allowed at most " + MAX_BEATS + " beats (" + MAX_BEATS * BUS_BITS
                    + " bits): use a smaller array or fewer multipliers per PE");
        }
    }

    /** True when the record lists an N:M pattern, so the accelerator has a pre-generation unit. */
    public boolean hasPregen() {
        return pregenUnit && !dp.sparsePatterns().isEmpty();
    }

    /** Bits of one dense block the pre-generation unit takes: Mmax x Mmax values (NmPregen's {@code block}). */
    public int pregenBlockBits() {
        int mMax = NmPregen.maxM(dp);
        return mMax * mMax * dp.valueWidth();
    }

    /**
     * Bits of one pre-generation result word: NmPregen's {@code fwd_val}, {@code fwd_idx},
     * {@code bwd_val}, {@code bwd_idx}, packed in that order from bit 0.
     */
    public int pregenResultBits() {
        int slots = NmPregen.maxM(dp) * NmPregen.keep(dp);
        return 2 * slots * (dp.valueWidth() + NmPregen.indexWidth(dp));
    }

    /**
     * A pre-generation command: {@code blocks} dense Mmax x Mmax blocks read from {@code wAddr} (one
     * region word each), their forward and backward compressed forms written to {@code yAddr} (one
     * result word each), {@code patternCode} indexing {@link SatDatapath#sparsePatterns()}.
     */
    public record Pregen(long blocks, int patternCode, long wAddr, long yAddr) {
    }

    /** Why the built hardware refuses {@code c}, or empty when it runs it (the CHECK state's rule). */
    public Optional<String> refusal(Pregen c) {
        long max = (1L << COUNT_BITS) - 1;
        if (!hasPregen()) {
            return Optional.of("this accelerator was built without a pre-generation unit (no N:M pattern, or pregen=false)");
        }
        if (c.blocks() < 1 || c.blocks() > max) {
            return Optional.of("blocks = " + c.blocks() + " is out of range; allowed 1 .. " + max);
        }
        if (c.patternCode() < 0 || c.patternCode() >= dp.sparsePatterns().size()) {
            return Optional.of("pre-generation pattern code " + c.patternCode() + " was not built; this accelerator "
                    + "pre-generates " + dp.sparsePatterns() + " (codes 0 .. " + (dp.sparsePatterns().size() - 1) + ")");
        }
        for (long a : new long[] {c.wAddr(), c.yAddr()}) {
            if (a < 0 || a > 0xFFFF_FFFFL || a % BASE_ALIGN != 0) {
                return Optional.of("region base 0x" + Long.toHexString(a) + " is not allowed; allowed: a multiple of "
                        + BASE_ALIGN + " below 2^32");
            }
        }
        return Optional.empty();
    }

    public SatDatapath datapath() {
        return dp;
    }

    /**
     * The most row segments a pass may use: the array's {@link SatDatapath#rowSegments}, fewer when
     * the merge would be late. The merge of S segment partial sums onto an output word takes S
     * chained adds of A cycles ({@link SatConfig#accumulateLatency}), and the next step reads that
     * word at least {@code F + 1} cycles after the previous step's last output (F the fill of R/S
     * rows), so the write lands first only when {@code S A < F}.
     */
    public int maxSegments() {
        SatConfig cfg = dp.config();
        int best = 1;
        for (int seg = 2; seg <= dp.rowSegments(); seg *= 2) {
            if ((long) seg * cfg.accumulateLatency() < cfg.fillCycles(cfg.rows() / seg)) {
                best = seg;
            }
        }
        return best;
    }

    /** Bits of a weight buffer word: C x L entries of the widest value + index ({@link SatDatapath#entryWidth}). */
    public int weightBits() {
        return dp.cols() * dp.multipliers() * dp.entryWidth();
    }

    /** Bits of an activation buffer word: R x lanes values (lanes the widest pattern's kPerPe). */
    public int actBits() {
        return dp.rows() * dp.lanes() * dp.valueWidth();
    }

    /** Index bits of a weight entry in DRAM in pattern {@code p}: log2(M), none for dense. */
    public static int indexBits(NmPattern p) {
        return p.isDense() ? 0 : p.indexBits();
    }

    /** Bits of a weight DRAM word of a pass in pattern {@code p}: C x L entries of value + {@link #indexBits}. */
    public int weightBits(NmPattern p) {
        return dp.cols() * dp.multipliers() * (dp.valueWidth() + indexBits(p));
    }

    /** Bits of an activation DRAM word of a pass in pattern {@code p}: R x kPerPe(p) values. */
    public int actBits(NmPattern p) {
        return dp.rows() * dp.kPerPe(p) * dp.valueWidth();
    }

    public int outBits() {
        return dp.cols() * SatDatapath.ACC_WIDTH;
    }

    public int weightDepth() {
        return depth(dp.config().weightBytes(), weightBits());
    }

    public int actDepth() {
        return depth(dp.config().ifmapBytes(), actBits());
    }

    public int outDepth() {
        return depth(dp.config().ofmapBytes(), outBits());
    }

    /**
     * Words of one output bank: the output buffer is split into M = {@link SatDatapath#rowSegments}
     * banks of {@code outDepth / M} words; word (ct, vector p) sits in bank (ct + p) mod M at
     * {@code ct * ceil(N / M) + p / M}, so the lanes of a step, which reach different column tiles of
     * one vector, reach different banks.
     */
    public int outBankDepth() {
        return outDepth() / dp.rowSegments();
    }

    /** Output bank words a pass of {@code colTiles} column tiles and {@code vectors} vectors needs: colTiles * ceil(N / M). */
    public long outBankWords(long colTiles, long vectors) {
        int m = dp.rowSegments();
        return colTiles * ((vectors + m - 1) / m);
    }

    private static int depth(long bytes, int bits) {
        return (int) Math.min(1 << 24, bytes * 8 / bits);
    }

    /** AXI beats of a word of {@code bits}. */
    public static int beats(int bits) {
        return (bits + BUS_BITS - 1) / BUS_BITS;
    }

    /** Bytes between consecutive words of {@code bits} in DRAM: 16 * 2^ceil(log2 beats). */
    public static long stride(int bits) {
        return (long) BUS_BYTES << Bits.log2Ceil(beats(bits));
    }

    /**
     * One GEMM pass as the controller runs it: the schedule's counts (reduction tiles, column tiles,
     * vectors, chunk), loop order, the pattern code (into {@link SatDatapath#patterns()}), the
     * row-segment code (S = 2^code segments of R/S rows) and the byte addresses of the weight,
     * activation and output regions. {@code kTiles} counts the schedule's segment tiles
     * ({@code R/S * kPerPe} reduction positions each); S consecutive ones form one <em>reduction
     * group</em> of R rows, the unit the buffers and the DRAM regions hold ({@link #kGroups}), so the
     * regions of a pass do not depend on S.
     */
    public record Command(long vectors, long kTiles, long colTiles, long chunk, int patternCode, int segmentsCode,
                          boolean inputStationary, long wAddr, long xAddr, long yAddr) {
        /** Row segments S = 2^code (1 for a code outside 0 .. 30). */
        public int segments() {
            return segmentsCode >= 0 && segmentsCode <= 30 ? 1 << segmentsCode : 1;
        }

        /** Reduction groups: ceil(kTiles / S), each S segment tiles of R/S rows (R rows of weights). */
        public long kGroups() {
            return (kTiles + segments() - 1) / segments();
        }

        public long weightWords(int rows) {
            return kGroups() * colTiles * rows;
        }

        public long actWords() {
            return kGroups() * vectors;
        }

        public long outWords() {
            return colTiles * vectors;
        }

        /** Array steps: per chunk, S consecutive segment tiles of the schedule's order per step, ceil(kTiles colTiles / S). */
        public long steps() {
            return (kTiles * colTiles + segments() - 1) / segments() * ((vectors + chunk - 1) / chunk);
        }
    }

    /**
     * Why the accelerator built for at most {@code maxSegments} row segments refuses a schedule of
     * {@code segments} segments with these counts, or empty. A step's S segment tiles are S
     * consecutive tiles of the schedule's order, of any column and reduction tiles (lanes of one
     * column tile chain their partial sums onto its word, lanes of different column tiles reach
     * different output banks). In the input-stationary order a step whose lanes wrap from the last
     * column tile of one reduction tile to the first of the next would reach two words of one output
     * bank (bank = (column tile + vector) mod M), so S > 1 there needs {@code colTiles <= S} or
     * {@code colTiles} a multiple of S.
     */
    public static Optional<String> segmentRefusal(int segments, int maxSegments, long kTiles, long colTiles,
                                                  boolean inputStationary) {
        if (segments < 1 || segments > maxSegments || Integer.bitCount(segments) != 1) {
            return Optional.of("segments = " + segments + " was not built; this accelerator runs 1 .. " + maxSegments
                    + " row segments (powers of two)");
        }
        if (segments > 1 && inputStationary && colTiles > segments && colTiles % segments != 0) {
            return Optional.of("segments = " + segments + " with colTiles = " + colTiles + " in the input-stationary "
                    + "order: a step would wrap from the last column tile to the first and reach two words of one "
                    + "output bank; allowed: colTiles <= segments or a multiple of segments, the output-stationary "
                    + "order, or segments = 1");
        }
        return Optional.empty();
    }

    /**
     * Why the built hardware refuses {@code c}, or empty when it runs it. The same tests, in the same
     * order, set the status register's error bit before anything runs.
     */
    public Optional<String> refusal(Command c) {
        long max = (1L << COUNT_BITS) - 1;
        if (c.vectors() < 1 || c.vectors() > max || c.kTiles() < 1 || c.kTiles() > max || c.colTiles() < 1
                || c.colTiles() > max || c.chunk() < 1 || c.chunk() > max) {
            return Optional.of("vectors = " + c.vectors() + ", kTiles = " + c.kTiles() + ", colTiles = " + c.colTiles()
                    + ", chunk = " + c.chunk() + ": each must be in 1 .. " + max);
        }
        if (c.chunk() > c.vectors()) {
            return Optional.of("chunk = " + c.chunk() + " exceeds vectors = " + c.vectors() + "; allowed 1 .. " + c.vectors());
        }
        if (c.patternCode() < 0 || c.patternCode() >= dp.patterns().size()) {
            return Optional.of("pattern code " + c.patternCode() + " was not built; this accelerator runs "
                    + dp.patterns() + " (codes 0 .. " + (dp.patterns().size() - 1) + ")");
        }
        if (c.segmentsCode() < 0 || c.segmentsCode() > Integer.numberOfTrailingZeros(maxSegments())) {
            return Optional.of("segment code " + c.segmentsCode() + " is not allowed; this accelerator runs 1 .. "
                    + maxSegments() + " row segments (codes 0 .. " + Integer.numberOfTrailingZeros(maxSegments()) + ")"
                    + (maxSegments() < dp.rowSegments() ? "; its array has " + dp.rowSegments()
                    + ", but the merge of more partial sums would not finish before the next step reads them" : ""));
        }
        Optional<String> seg = segmentRefusal(c.segments(), maxSegments(), c.kTiles(), c.colTiles(),
                c.inputStationary());
        if (seg.isPresent()) {
            return seg;
        }
        if (c.weightWords(dp.rows()) > weightDepth()) {
            return Optional.of("weights need " + c.weightWords(dp.rows()) + " buffer words (kGroups x colTiles x R = "
                    + c.kGroups() + " x " + c.colTiles() + " x " + dp.rows() + "); the weight buffer ("
                    + dp.config().weightKiB() + " KiB) holds " + weightDepth());
        }
        if (c.actWords() > actDepth()) {
            return Optional.of("activations need " + c.actWords() + " buffer words (kGroups x vectors = " + c.kGroups()
                    + " x " + c.vectors() + "); the activation buffer (" + dp.config().ifmapKiB() + " KiB) holds "
                    + actDepth());
        }
        if (outBankWords(c.colTiles(), c.vectors()) > outBankDepth()) {
            return Optional.of("outputs need " + outBankWords(c.colTiles(), c.vectors()) + " words per output bank "
                    + "(colTiles x ceil(vectors / " + dp.rowSegments() + ") = " + c.colTiles() + " x "
                    + (c.vectors() + dp.rowSegments() - 1) / dp.rowSegments() + "); each of the "
                    + dp.rowSegments() + " banks of the output buffer (" + dp.config().ofmapKiB() + " KiB) holds "
                    + outBankDepth());
        }
        for (long a : new long[] {c.wAddr(), c.xAddr(), c.yAddr()}) {
            if (a < 0 || a > 0xFFFF_FFFFL || a % BASE_ALIGN != 0) {
                return Optional.of("region base 0x" + Long.toHexString(a) + " is not allowed; allowed: a multiple of "
                        + BASE_ALIGN + " below 2^32");
            }
        }
        return Optional.empty();
    }

    /** {@code c}, or an error with {@link #refusal}'s reason. */
    public Command require(Command c) {
        Optional<String> r = refusal(c);
        if (r.isPresent()) {
            throw new IllegalArgumentException("descriptor refused: " + r.get());
        }
        return c;
    }
}
