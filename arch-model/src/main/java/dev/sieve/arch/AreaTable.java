package dev.sieve.arch;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one ASIC area table of every family's area <b>estimate</b>: silicon area of one arithmetic
 * unit, one register bit and one SRAM bit, each {@link Entry} with its source, the source's
 * technology node and the derivation. An estimate built from it ({@link AreaEstimate}) counts the
 * units a configuration record names; it is no synthesis result and leaves out everything the
 * record does not describe (control, routing, clock tree, I/O, memory PHYs).
 *
 * <p><b>Sources.</b> Logic: Aladdin (Shao, Reagen, Wei, Brooks, ISCA 2014), whose
 * {@code common/power_func.h} (github.com/harvard-acc/ALADDIN) lists area in µm² of functional
 * units synthesized in a commercial 40 nm process; Sieve takes the 1 ns (1 GHz) points. The
 * comparator comes from the Accelergy project's {@code hwcomponents-library}
 * ({@code AladdinComparator}, its table of the same 40 nm characterization). SRAM: CACTI (HP Labs):
 * the 6T cell of 146 F² ({@code technology.cc}) and CACTI's area of a 128 KiB SRAM of 32 banks at
 * 45 nm as the Accelergy/Timeloop exercises' reference output prints it ({@code eyeriss_like},
 * {@code shared_glb}: 1,162,549 µm²), which includes decoders, sense amplifiers and bank wiring.
 *
 * <p><b>Scaling rule</b> (the same as {@link EnergyTable}'s, stated for area): at another node
 * {@code n} an entry is {@code A_src · (n / n_src)²}, since every layout dimension follows the
 * feature size. SRAM is known to shrink less than logic from one node to the next (cell stability
 * margins, periphery), so scaling SRAM down by this rule is optimistic; 45 nm → 40 nm is a factor
 * {@code (40/45)² = 0.790}.
 *
 * <p>Users override entries from a file ({@link #read}), values in µm² at the estimate's node.
 */
public final class AreaTable {

    /** Aladdin's functional-unit table, 40 nm, 1 ns clock. */
    public static final String ALADDIN = "Aladdin (Shao et al., ISCA 2014), harvard-acc/ALADDIN common/power_func.h,"
            + " commercial 40 nm process, 1 ns clock";

    /** CACTI (HP Labs), as copied in harvard-acc/ALADDIN common/cacti-p/technology.cc. */
    public static final String CACTI = "CACTI (HP Labs), technology.cc";

    /** Bits of the CACTI reference SRAM: 16384 words of 64 bits (128 KiB) in 32 banks. */
    public static final long CACTI_REFERENCE_BITS = 16384L * 64;

    /** CACTI's area of the reference SRAM at 45 nm, in µm² (with two small address generators). */
    public static final double CACTI_REFERENCE_UM2 = 1_162_549.0;

    /**
     * One entry: its key in override files, its default in µm² (per unit or per bit, as the key
     * says), the node of its source and the source with the derivation.
     */
    public enum Entry {
        /** 32-bit integer adder/subtractor: Aladdin ADD_1ns_area. */
        INT32_ADD("int32_add_um2", 277.9792, 40, ALADDIN + ": ADD_1ns_area, 32-bit integer add/sub"),
        /** 32-bit integer multiplier, one stage at 1 ns: Aladdin MUL_1ns_area. */
        INT32_MULT("int32_mult_um2", 6351.338, 40, ALADDIN + ": MUL_1ns_area, 32-bit integer multiplier"),
        /** FP32 adder, Synopsys DesignWare, 3 stages at 1 ns: Aladdin FP_SP_3STAGE_ADD_1ns_area. */
        FP32_ADD("fp32_add_um2", 4361.094, 40, ALADDIN + ": FP_SP_3STAGE_ADD_1ns_area, single-precision adder"
                + " (DesignWare, 3 stages)"),
        /** FP32 multiplier, DesignWare, 3 stages at 1 ns: Aladdin FP_SP_3STAGE_MUL_1ns_area. */
        FP32_MULT("fp32_mult_um2", 8967.113, 40, ALADDIN + ": FP_SP_3STAGE_MUL_1ns_area, single-precision"
                + " multiplier (DesignWare, 3 stages)"),
        /** One register (flip-flop) bit: Aladdin REG_1ns_area. */
        REGISTER_BIT("register_um2_per_bit", 5.981433, 40, ALADDIN + ": REG_1ns_area, one register bit"),
        /** 32-bit magnitude comparator: 71 µm². */
        INT32_COMPARE("int32_compare_um2", 71, 40, "Accelergy hwcomponents-library, AladdinComparator (Aladdin's"
                + " 40 nm table): 32-bit comparator 71 um^2"),
        /** The 6T SRAM cell alone: 146 F² at F = 0.040 µm. */
        SRAM_CELL("sram_cell_um2_per_bit", 146 * 0.040 * 0.040, 40, CACTI + ": SRAM cell area 146 F^2; at"
                + " F = 0.040 um, 0.2336 um^2 (no periphery: the floor of any SRAM)"),
        /** One SRAM bit of a banked buffer with its periphery: CACTI's 128 KiB in 32 banks at 45 nm. */
        SRAM("sram_um2_per_bit", CACTI_REFERENCE_UM2 / CACTI_REFERENCE_BITS, 45, "CACTI at 45 nm as printed by"
                + " Accelergy-Project/timeloop-accelergy-exercises (eyeriss_like reference output, shared_glb:"
                + " 16384 x 64 bit in 32 banks of 4 KiB) = 1,162,549 um^2 / 1,048,576 bit, periphery included");

        private final String key;
        private final double defaultUm2;
        private final double nodeNm;
        private final String source;

        Entry(String key, double defaultUm2, double nodeNm, String source) {
            this.key = key;
            this.defaultUm2 = defaultUm2;
            this.nodeNm = nodeNm;
            this.source = source;
        }

        /** The key in override files: {@code _um2} per unit, {@code _um2_per_bit} per bit. */
        public String key() {
            return key;
        }

        public double defaultUm2() {
            return defaultUm2;
        }

        /** The node of the source, in nm. */
        public double nodeNm() {
            return nodeNm;
        }

        public String source() {
            return source;
        }

        /** The entry with {@code key}, or null. */
        public static Entry byKey(String key) {
            for (Entry e : values()) {
                if (e.key.equals(key)) {
                    return e;
                }
            }
            return null;
        }
    }

    private final EnumMap<Entry, Double> um2;
    private final double nodeNm;

    private AreaTable(Map<Entry, Double> um2, double nodeNm) {
        this.um2 = new EnumMap<>(um2);
        this.nodeNm = nodeNm;
    }

    /** Every entry at its source's default and node ({@link #nodeNm} 0: mixed, not yet scaled). */
    public static AreaTable defaults() {
        EnumMap<Entry, Double> m = new EnumMap<>(Entry.class);
        for (Entry e : Entry.values()) {
            m.put(e, e.defaultUm2());
        }
        return new AreaTable(m, 0);
    }

    /** The defaults converted to {@code nodeNm} by the rule of this class. */
    public static AreaTable at(double nodeNm) {
        return defaults().scaledTo(nodeNm);
    }

    /**
     * Every entry converted to a chip at {@code nodeNm} ({@code A · (nodeNm / sourceNode)²}). Apply it
     * to the defaults only: values from a file are taken as already at the chip's node.
     */
    public AreaTable scaledTo(double nodeNm) {
        if (!(nodeNm >= 5 && nodeNm <= 1000)) {
            throw new IllegalArgumentException("node = " + nodeNm + " nm is out of range; allowed 5 .. 1000");
        }
        EnumMap<Entry, Double> m = new EnumMap<>(Entry.class);
        for (Entry e : Entry.values()) {
            m.put(e, um2(e) * factor(e.nodeNm(), nodeNm));
        }
        return new AreaTable(m, nodeNm);
    }

    /** The area factor from node {@code fromNm} to node {@code toNm}: {@code (toNm / fromNm)²}. */
    public static double factor(double fromNm, double toNm) {
        double r = toNm / fromNm;
        return r * r;
    }

    /** The node of this table in nm, or 0 for the unscaled defaults. */
    public double nodeNm() {
        return nodeNm;
    }

    /** µm² of {@code e} (per unit or per bit, as its key says). */
    public double um2(Entry e) {
        return um2.get(e);
    }

    /** This table with the entries of {@code overrides} replaced. */
    public AreaTable with(Map<Entry, Double> overrides) {
        EnumMap<Entry, Double> m = new EnumMap<>(um2);
        m.putAll(overrides);
        return new AreaTable(m, nodeNm);
    }

    /**
     * The entries a file overrides: lines {@code key = value} (value in µm², a finite number &gt;= 0),
     * blank lines and {@code #} comments ignored, each key at most once. Errors are an
     * {@link dev.sieve.io.InputException} naming the file, the line and the key.
     */
    public static Map<Entry, Double> read(Path file) {
        return TableFile.read(file, "--area-table", Entry.class, Entry::byKey, keys(), "um^2");
    }

    /** The keys of every entry, comma-separated. */
    public static String keys() {
        return Stream.of(Entry.values()).map(Entry::key).collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------ derived units

    /**
     * An integer multiplier of {@code bits} x {@code bits}: the 32-bit one x {@code (bits/32)²} (an
     * array multiplier has bits² partial-product cells; hwcomponents-library scales Aladdin's
     * multiplier area the same way).
     */
    public double intMultiplierUm2(int bits) {
        double r = bits / 32.0;
        return um2(Entry.INT32_MULT) * r * r;
    }

    /** An integer adder of {@code bits}: the 32-bit one x {@code bits/32} (area linear in width). */
    public double intAdderUm2(int bits) {
        return um2(Entry.INT32_ADD) * bits / 32.0;
    }

    /** A comparator of {@code bits}: the 32-bit one x {@code bits/32}. */
    public double comparatorUm2(int bits) {
        return um2(Entry.INT32_COMPARE) * bits / 32.0;
    }

    /**
     * A floating-point multiplier of a {@code bits}-wide format: FP32's x {@code (bits/32)²} (the
     * quadratic rule above, on the whole word; for BF16, whose significand is 8 bits against FP32's
     * 24, this is likely high).
     */
    public double fpMultiplierUm2(int bits) {
        double r = bits / 32.0;
        return um2(Entry.FP32_MULT) * r * r;
    }

    /** An FP32 adder. */
    public double fp32AdderUm2() {
        return um2(Entry.FP32_ADD);
    }

    /** A register of {@code bits}. */
    public double registerUm2(long bits) {
        return um2(Entry.REGISTER_BIT) * bits;
    }

    /** An SRAM of {@code bytes} with its periphery (banks of the reference's 4 KiB). */
    public double sramUm2(long bytes) {
        return um2(Entry.SRAM) * bytes * 8;
    }

    /** The cells alone of an SRAM of {@code bytes}: the floor of any SRAM of that size. */
    public double sramCellsUm2(long bytes) {
        return um2(Entry.SRAM_CELL) * bytes * 8;
    }

    /**
     * Cell area over macro area of the SRAM entries at one node: 0.267 for the defaults (146 F² at
     * 45 nm is 0.29565 µm² against 1.1087 µm² per bit of the banked reference).
     */
    public double sramArrayEfficiency() {
        return um2(Entry.SRAM_CELL) / um2(Entry.SRAM);
    }
}
