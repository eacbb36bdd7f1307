package dev.sieve.arch;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one energy table of every cycle model: energy per operation and per byte moved at each
 * level the models count, each {@link Entry} with its source (paper, table, technology node).
 * Values are dynamic energy only; clock tree, control, leakage, registers and wires inside an array
 * are not in it. The default values ({@link #defaults()}) are at the node of their source; a model
 * of a chip at another node converts on-chip entries with {@link #scaledTo(double)} (off-chip
 * DRAM and HBM energy is not a function of the accelerator's node and is never scaled).
 *
 * <p><b>Scaling rule</b> (stated once, used by SpAtten at 40 nm): dynamic energy is {@code C·V²};
 * at the same supply voltage the switched capacitance scales with the feature size, so an on-chip
 * entry at node {@code n} is {@code E_45 · n / 45}. For 40 nm that factor is {@code 40/45 = 0.889}.
 * This ignores the voltage difference between processes (not published for either design); a user
 * who knows it overrides entries from a file.
 *
 * <p>Users override entries from a file ({@link #read}): one {@code key = value} per line, values in
 * pJ (per operation or per byte, as the key's suffix says), {@code #} starts a comment; keys not
 * given keep their default.
 *
 * <p>The SAT model's view ({@link #horowitz45nm}, {@link #macPj}, {@link #sramPjPerByte},
 * {@link #dramPjPerByte}) reads the same entries; its numbers are the ones it always had.
 */
public final class EnergyTable {

    /** Horowitz, "Computing's Energy Problem (and what we can do about it)", ISSCC 2014, 45 nm, 0.9 V. */
    public static final String HOROWITZ = "Horowitz, ISSCC 2014, energy table (45 nm, 0.9 V)";

    /** The node, in nm, of the Horowitz entries. */
    public static final double HOROWITZ_NM = 45;

    /**
     * One entry: its key in override files and reports, whether it is per operation or per byte, its
     * default in pJ, the node of its source (0: off-chip, not scaled) and the source with the
     * derivation.
     */
    public enum Entry {
        /** INT8 x INT8 multiply 0.2 pJ + 32-bit add 0.1 pJ. */
        MAC_INT8_INT32("mac_int8_int32_pJ", 0.2 + 0.1, HOROWITZ_NM,
                HOROWITZ + ": 8-bit integer multiply 0.2 pJ + 32-bit integer add 0.1 pJ"),
        /** BF16 multiply (16-bit float multiply 1.1 pJ) + FP32 add 0.9 pJ. */
        MAC_BF16_FP32("mac_bf16_fp32_pJ", 1.1 + 0.9, HOROWITZ_NM,
                HOROWITZ + ": 16-bit float multiply 1.1 pJ (for BF16) + 32-bit float add 0.9 pJ"),
        /**
         * 12-bit fixed-point multiply (SpAtten's word) + 32-bit add: the 8-bit multiply 0.2 pJ scaled by
         * the array multiplier's bits² ((12/8)² = 2.25, 0.45 pJ), + 0.1 pJ.
         */
        MAC_INT12("mac_int12_pJ", 0.2 * (12.0 / 8) * (12.0 / 8) + 0.1, HOROWITZ_NM,
                HOROWITZ + ": 8-bit multiply 0.2 pJ x (12/8)^2 (array multiplier energy ~ bits^2) = 0.45 pJ"
                        + " + 32-bit integer add 0.1 pJ"),
        /** FP32 multiply 3.7 pJ + FP32 add 0.9 pJ (PIUMA's SpGEMM multiply-add). */
        MAC_FP32("mac_fp32_pJ", 3.7 + 0.9, HOROWITZ_NM,
                HOROWITZ + ": 32-bit float multiply 3.7 pJ + 32-bit float add 0.9 pJ"),
        /** One 32-bit integer ALU operation (add). */
        INT_OP("int_op_pJ", 0.1, HOROWITZ_NM, HOROWITZ + ": 32-bit integer add 0.1 pJ"),
        /** SRAM buffer read or write, per byte: 64-bit read of a 32 KB array 20 pJ / 8. */
        SRAM("sram_pJ_per_byte", 20.0 / 8, HOROWITZ_NM,
                HOROWITZ + ": 64-bit read of a 32 KB SRAM 20 pJ / 8 B (buffers banked into 32 KB arrays;"
                        + " writes charged like reads)"),
        /** Scratchpad read or write, per byte: as {@link #SRAM} (a scratchpad is a 32 KB-banked SRAM). */
        SPAD("spad_pJ_per_byte", 20.0 / 8, HOROWITZ_NM,
                HOROWITZ + ": 64-bit read of a 32 KB SRAM 20 pJ / 8 B (scratchpad banked into 32 KB arrays)"),
        /** Data cache access, per byte: 64-bit read of an 8 KB cache 10 pJ / 8. */
        CACHE("cache_pJ_per_byte", 10.0 / 8, HOROWITZ_NM,
                HOROWITZ + ": 64-bit cache read, 8 KB array 10 pJ / 8 B"),
        /** DRAM, per byte: 64-bit access 1.3 nJ (low end of 1.3 - 2.6 nJ) / 8 = 20.3 pJ/bit. */
        DRAM("dram_pJ_per_byte", 1300.0 / 8, 0,
                HOROWITZ + ": DRAM 64-bit access 1.3 - 2.6 nJ, low end / 8 B (= 20.3 pJ/bit, the usual DDR figure)"),
        /** HBM2, per byte: 3.9 pJ/bit x 8. */
        HBM("hbm_pJ_per_byte", 3.9 * 8, 0,
                "O'Connor et al., Fine-Grained DRAM, MICRO 2017: HBM2 about 3.9 pJ/bit (array, data movement"
                        + " and I/O) x 8 bit"),
        /**
         * One top-k comparison of two 12-bit scores: a 12-bit subtract, between the 8-bit add 0.03 pJ and
         * the 16-bit add 0.05 pJ (linear in bits: 0.04 pJ).
         */
        TOPK_COMPARE("topk_compare_pJ", 0.04, HOROWITZ_NM,
                HOROWITZ + ": 12-bit compare = subtract, linear between 8-bit add 0.03 pJ and 16-bit add 0.05 pJ"),
        /**
         * The logic of one hash-table probe (the table's SRAM access is charged where the model counts
         * it): the XOR-fold hash and the key compare, two 32-bit integer operations, 2 x 0.1 pJ.
         */
        HASH_PROBE("hash_probe_pJ", 2 * 0.1, HOROWITZ_NM,
                HOROWITZ + ": hash (XOR-fold) + key compare = 2 x 32-bit integer add 0.1 pJ; the slot's"
                        + " scratchpad access is charged separately"),
        /**
         * One atomic-unit operation on an 8-byte word: a read and a write of a 32 KB SRAM (2 x 20 pJ)
         * and a 32-bit add (0.1 pJ).
         */
        ATOMIC("atomic_pJ", 2 * 20.0 + 0.1, HOROWITZ_NM,
                HOROWITZ + ": read-modify-write of a 64-bit word in a 32 KB SRAM, 2 x 20 pJ + 32-bit add 0.1 pJ"),
        /**
         * One byte over one network hop: ~0.1 pJ per bit per mm of on-die wire at 45 nm, a hop taken
         * as 2 mm (an assumed core-tile pitch): 0.2 pJ/bit = 1.6 pJ per byte.
         */
        NETWORK_HOP("network_hop_pJ_per_byte", 0.1 * 2 * 8, HOROWITZ_NM,
                "Borkar and Chien, The Future of Microprocessors, CACM 54(5) 2011, Fig. 11 (45 nm on-die wire"
                        + " about 0.1 pJ/bit/mm, read from the chart) x an assumed 2 mm hop x 8 bit");

        private final String key;
        private final double defaultPj;
        private final double nodeNm;
        private final String source;

        Entry(String key, double defaultPj, double nodeNm, String source) {
            this.key = key;
            this.defaultPj = defaultPj;
            this.nodeNm = nodeNm;
            this.source = source;
        }

        /** The key in override files and the unit: {@code _pJ} per operation, {@code _pJ_per_byte} per byte. */
        public String key() {
            return key;
        }

        public double defaultPj() {
            return defaultPj;
        }

        /** The node of the source in nm, or 0 for off-chip memory (never scaled). */
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

    private final EnumMap<Entry, Double> pj;
    private final NumberFormat format;

    private EnergyTable(Map<Entry, Double> pj, NumberFormat format) {
        this.pj = new EnumMap<>(pj);
        this.format = format;
    }

    /** Every entry at its source's default, at the source's node. */
    public static EnergyTable defaults() {
        EnumMap<Entry, Double> m = new EnumMap<>(Entry.class);
        for (Entry e : Entry.values()) {
            m.put(e, e.defaultPj());
        }
        return new EnergyTable(m, NumberFormat.INT8_INT32);
    }

    /** The defaults, with SAT's MAC of {@code format} ({@link #macPj}). */
    public static EnergyTable horowitz45nm(NumberFormat format) {
        return defaults().withFormat(format);
    }

    /** This table with {@link #macPj} reading the MAC entry of {@code f}. */
    public EnergyTable withFormat(NumberFormat f) {
        return new EnergyTable(pj, f);
    }

    /** pJ of {@code e} (per operation or per byte, as its key says). */
    public double pj(Entry e) {
        return pj.get(e);
    }

    /**
     * On-chip entries converted to a chip at {@code nodeNm} by the rule of this class
     * ({@code E · nodeNm / sourceNode}); off-chip entries unchanged. Apply it to the defaults only:
     * values a user gave in a file are taken as already at the chip's node ({@link #read} does so).
     */
    public EnergyTable scaledTo(double nodeNm) {
        if (!(nodeNm > 0 && nodeNm <= 1000)) {
            throw new IllegalArgumentException("node = " + nodeNm + " nm is out of range; allowed (0, 1000]");
        }
        EnumMap<Entry, Double> m = new EnumMap<>(Entry.class);
        for (Entry e : Entry.values()) {
            m.put(e, e.nodeNm() == 0 ? pj(e) : pj(e) * nodeNm / e.nodeNm());
        }
        return new EnergyTable(m, format);
    }

    /** The factor {@link #scaledTo} applies to an on-chip entry of a 45 nm source: {@code nodeNm / 45}. */
    public static double factorFrom45nm(double nodeNm) {
        return nodeNm / HOROWITZ_NM;
    }

    /** This table with the entries of {@code overrides} replaced. */
    public EnergyTable with(Map<Entry, Double> overrides) {
        EnumMap<Entry, Double> m = new EnumMap<>(pj);
        m.putAll(overrides);
        return new EnergyTable(m, format);
    }

    /**
     * The entries a file overrides: lines {@code key = value} (value in pJ, a finite number &gt;= 0),
     * blank lines and {@code #} comments ignored, each key at most once. Errors are an
     * {@link dev.sieve.io.InputException} naming the file, the line and the key.
     */
    public static Map<Entry, Double> read(Path file) {
        return TableFile.read(file, "--energy-table", Entry.class, Entry::byKey, keys(), "pJ");
    }

    private static String keys() {
        return Stream.of(Entry.values()).map(Entry::key).collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------ SAT's view

    /** pJ per multiply-accumulate actually performed, in the format of {@link #withFormat}. */
    public double macPj() {
        return pj(switch (format) {
            case INT8_INT32 -> Entry.MAC_INT8_INT32;
            case BF16_FP32 -> Entry.MAC_BF16_FP32;
        });
    }

    /** pJ per byte read or written in an on-chip buffer. */
    public double sramPjPerByte() {
        return pj(Entry.SRAM);
    }

    /** pJ per byte moved to or from DRAM. */
    public double dramPjPerByte() {
        return pj(Entry.DRAM);
    }
}
