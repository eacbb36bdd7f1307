package dev.sieve.tools;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * FPGA resources of one synthesized design, classified from the Xilinx primitives Yosys's
 * {@code synth_xilinx} left in the netlist, with the raw per-cell-type counts kept beside them.
 *
 * <p>How cell types are counted (the same buckets as Vivado's utilization report):
 * <ul>
 *   <li>{@code lut}: LUTs used as logic: {@code LUT1}..{@code LUT6}, {@code LUT6_2} (one LUT6
 *       site with two outputs), and {@code INV}, which Vivado places as a LUT1.</li>
 *   <li>{@code lutram}: LUT sites used as distributed RAM, weighted by the LUTs each primitive
 *       occupies (UG574): {@code RAM32X1S}/{@code RAM64X1S} 1, {@code RAM32X1D}/{@code RAM64X1D}/
 *       {@code RAM128X1S} 2, {@code RAM32M}/{@code RAM64M}/{@code RAM128X1D}/{@code RAM256X1S} 4,
 *       {@code RAM32M16}/{@code RAM64M8}/{@code RAM256X1D}/{@code RAM512X1S} 8.</li>
 *   <li>{@code srl}: LUT sites used as shift registers ({@code SRL16E}, {@code SRLC16E},
 *       {@code SRLC32E}), one each. Kept apart from {@code lutram} as Vivado does ("LUT as
 *       Shift Register"), since an SRL is a pipeline delay, not a memory.</li>
 *   <li>{@code ff}: flip-flops and latches ({@code FDRE}, {@code FDSE}, {@code FDCE}, {@code FDPE},
 *       their {@code _1} variants, {@code LDCE}, {@code LDPE}).</li>
 *   <li>{@code carry}: carry-chain cells ({@code CARRY4}, {@code CARRY8}, {@code MUXCY},
 *       {@code XORCY}). Yosys 0.23 emits {@code CARRY4} even for UltraScale+.</li>
 *   <li>{@code dsp}: {@code DSP48E2}, {@code DSP48E1} and other DSP48 variants.</li>
 *   <li>{@code bram36}: block RAM in RAMB36 equivalents: {@code RAMB36E2}/{@code RAMB36E1}/
 *       {@code FIFO36*} count 1, {@code RAMB18E2}/{@code RAMB18E1}/{@code FIFO18*} count 0.5.</li>
 *   <li>{@code uram}: {@code URAM288} (only with {@code synth_xilinx -uram}).</li>
 *   <li>{@code io}: I/O and clock buffers ({@code IBUF}, {@code OBUF}, {@code OBUFT}, {@code IOBUF},
 *       {@code BUFG}, ...). Yosys 0.23's {@code synth_xilinx} inserts them on every top-level port
 *       unless given {@code -noiopad}; they say nothing about the block's own cost.</li>
 *   <li>{@code other}: everything else ({@code MUXF7}/{@code MUXF8}, unmapped cells).</li>
 * </ul>
 * The LUT fraction of the device counts all LUT sites ({@link #lutSites()}: logic, RAM and SRL),
 * because that is the budget the device's 1,182,240 LUTs cover.
 *
 * <p><b>Logic depth</b> ({@link Depth}): the cells on the longest combinational path of the flattened
 * netlist, as Yosys's {@code ltp -noff} counts them once flip-flops, shift registers and block RAMs
 * are removed (so every path starts and ends at a register or a port), split into LUT-like cells
 * (LUTs, MUXF7/8/9), carry cells ({@code CARRY4}/{@code CARRY8}) and DSP48E2 blocks passed without
 * their internal registers. {@link Depth#suggestedClockMhz} turns it into a clock with fixed per-cell
 * delays for a -2 speed grade UltraScale+: {@value #LUT_LEVEL_NS} ns per LUT level (cell plus route:
 * UG949, "Datapath Delay and Logic Levels", expects about half of an UltraScale path's delay in
 * routing), {@value #CARRY_CELL_NS} ns per {@code CARRY4} (a half {@code CARRY8} on the dedicated
 * carry chain), {@value #DSP_NS} ns per unregistered DSP48E2, plus {@value #OVERHEAD_NS} ns of
 * clock-to-out, setup and skew. A rule of thumb for "is 200 MHz plausible", not a timing analysis:
 * placement, fan-out and congestion are not in it.
 */
public record ResourceReport(
        String top,
        int lut,
        int lutram,
        int srl,
        int ff,
        int carry,
        int dsp,
        double bram36,
        int uram,
        int io,
        int other,
        Map<String, Integer> cellsByType,
        List<String> warnings,
        Depth depth) {

    /** Delay assumed per LUT level (cell and route), ns. */
    public static final double LUT_LEVEL_NS = 0.5;
    /** Delay assumed per Yosys carry cell on the path, ns. */
    public static final double CARRY_CELL_NS = 0.1;
    /** Delay assumed per DSP48E2 used without pipeline registers, ns. */
    public static final double DSP_NS = 2.0;
    /** Clock-to-out, setup and clock skew, ns. */
    public static final double OVERHEAD_NS = 0.6;

    /**
     * The longest combinational path: all cells on it ({@code levels}), of which {@code carryCells}
     * carry cells and {@code dspCells} DSP48E2 blocks.
     */
    public record Depth(int levels, int carryCells, int dspCells) {
        public Depth {
            if (levels < 0 || carryCells < 0 || dspCells < 0 || carryCells + dspCells > levels) {
                throw new IllegalArgumentException("bad logic depth: " + levels + " cells, " + carryCells + " carry, "
                        + dspCells + " DSP");
            }
        }

        /** LUT-like cells on the path: the levels that are neither carry cells nor DSPs. */
        public int lutLevels() {
            return levels - carryCells - dspCells;
        }

        /** Estimated delay of the path with the per-cell delays of {@link ResourceReport}, ns. */
        public double delayNs() {
            return OVERHEAD_NS + LUT_LEVEL_NS * lutLevels() + CARRY_CELL_NS * carryCells + DSP_NS * dspCells;
        }

        /** The clock that delay suggests, MHz. */
        public double suggestedClockMhz() {
            return 1000.0 / delayNs();
        }
    }

    /** A report without a logic depth (unknown). */
    public ResourceReport(String top, int lut, int lutram, int srl, int ff, int carry, int dsp, double bram36, int uram,
                          int io, int other, Map<String, Integer> cellsByType, List<String> warnings) {
        this(top, lut, lutram, srl, ff, carry, dsp, bram36, uram, io, other, cellsByType, warnings, null);
    }

    /** This report with {@code d} as its logic depth. */
    public ResourceReport withDepth(Depth d) {
        return new ResourceReport(top, lut, lutram, srl, ff, carry, dsp, bram36, uram, io, other, cellsByType, warnings, d);
    }

    /** The logic depth, when it was measured. */
    public java.util.Optional<Depth> logicDepth() {
        return java.util.Optional.ofNullable(depth);
    }

    /** Capacity of a target FPGA, in the units of this report. */
    public record Device(String name, int luts, int lutram, int ffs, int dsps, int bram36, int uram) {
        /**
         * Xilinx Virtex UltraScale+ XCVU9P (the VCU1525 board's device), from the UltraScale+
         * product table DS890: 1,182,240 CLB LUTs (591,840 of them in SLICEMs usable as memory),
         * 2,364,480 CLB flip-flops, 6,840 DSP48E2, 2,160 RAMB36, 960 URAM288.
         */
        public static final Device XCVU9P = new Device("XCVU9P", 1_182_240, 591_840, 2_364_480, 6_840, 2_160, 960);
    }

    /** Which resource bucket a primitive falls in. */
    public enum Kind {
        LUT, LUTRAM, SRL, FF, CARRY, DSP, BRAM, URAM, IO, OTHER
    }

    /** What one instance of a primitive costs: its bucket and how many units of it. */
    public record CellCost(Kind kind, double units) {
    }

    public ResourceReport {
        Objects.requireNonNull(top, "top");
        cellsByType = Collections.unmodifiableMap(new TreeMap<>(cellsByType));
        warnings = List.copyOf(warnings);
    }

    private static final Pattern LUT = Pattern.compile("LUT[1-6](_2|_L|_D)?|INV");
    private static final Pattern FF = Pattern.compile("(FD[RSCP]E|LD[CP]E|FD[RSCP]?|FDDR[A-Z]*)(_1)?");
    private static final Pattern SRL = Pattern.compile("SRLC?(16|32)E?(_1)?");
    private static final Pattern CARRY = Pattern.compile("CARRY[48]|MUXCY|XORCY|MUXCY_L");
    private static final Pattern IO = Pattern.compile(
            "(IBUF|OBUF|IOBUF|INBUF|BUFG|BUFH|BUFR|BUFIO|BUFCE|BUFMR|IBUFCTRL|DIFFINBUF)[A-Z0-9_]*");
    private static final Map<String, Integer> LUTRAM_SITES = Map.ofEntries(
            Map.entry("RAM16X1S", 1), Map.entry("RAM32X1S", 1), Map.entry("RAM32X1S_1", 1),
            Map.entry("RAM64X1S", 1), Map.entry("RAM64X1S_1", 1),
            Map.entry("RAM16X1D", 2), Map.entry("RAM32X1D", 2), Map.entry("RAM32X1D_1", 2),
            Map.entry("RAM64X1D", 2), Map.entry("RAM64X1D_1", 2),
            Map.entry("RAM128X1S", 2), Map.entry("RAM128X1S_1", 2), Map.entry("RAM32X2S", 2),
            Map.entry("RAM32M", 4), Map.entry("RAM64M", 4), Map.entry("RAM128X1D", 4),
            Map.entry("RAM256X1S", 4),
            Map.entry("RAM32M16", 8), Map.entry("RAM64M8", 8), Map.entry("RAM256X1D", 8),
            Map.entry("RAM512X1S", 8));

    /** Classifies one Xilinx primitive name (as Yosys spells it, e.g. {@code "FDRE"}). */
    public static CellCost classify(String cellType) {
        String t = cellType.startsWith("\\") ? cellType.substring(1) : cellType;
        if (LUT.matcher(t).matches()) {
            return new CellCost(Kind.LUT, 1);
        }
        if (FF.matcher(t).matches()) {
            return new CellCost(Kind.FF, 1);
        }
        if (SRL.matcher(t).matches()) {
            return new CellCost(Kind.SRL, 1);
        }
        if (CARRY.matcher(t).matches()) {
            return new CellCost(Kind.CARRY, 1);
        }
        if (t.startsWith("DSP48") || t.startsWith("DSP58")) {
            return new CellCost(Kind.DSP, 1);
        }
        if (t.startsWith("RAMB36") || t.startsWith("FIFO36")) {
            return new CellCost(Kind.BRAM, 1);
        }
        if (t.startsWith("RAMB18") || t.startsWith("FIFO18")) {
            return new CellCost(Kind.BRAM, 0.5);
        }
        if (t.startsWith("URAM288")) {
            return new CellCost(Kind.URAM, 1);
        }
        Integer sites = LUTRAM_SITES.get(t);
        if (sites != null) {
            return new CellCost(Kind.LUTRAM, sites);
        }
        if (IO.matcher(t).matches()) {
            return new CellCost(Kind.IO, 1);
        }
        return new CellCost(Kind.OTHER, 1);
    }

    /** Builds a report by classifying {@code cellsByType} (primitive name → instance count). */
    public static ResourceReport fromCellCounts(String top, Map<String, Integer> cellsByType, List<String> warnings) {
        double[] sum = new double[Kind.values().length];
        for (Map.Entry<String, Integer> e : cellsByType.entrySet()) {
            CellCost cost = classify(e.getKey());
            sum[cost.kind().ordinal()] += cost.units() * e.getValue();
        }
        return new ResourceReport(top,
                (int) sum[Kind.LUT.ordinal()],
                (int) sum[Kind.LUTRAM.ordinal()],
                (int) sum[Kind.SRL.ordinal()],
                (int) sum[Kind.FF.ordinal()],
                (int) sum[Kind.CARRY.ordinal()],
                (int) sum[Kind.DSP.ordinal()],
                sum[Kind.BRAM.ordinal()],
                (int) sum[Kind.URAM.ordinal()],
                (int) sum[Kind.IO.ordinal()],
                (int) sum[Kind.OTHER.ordinal()],
                cellsByType, warnings);
    }

    /** All LUT sites used: logic, distributed RAM and shift registers (Vivado's "CLB LUTs"). */
    public int lutSites() {
        return lut + lutram + srl;
    }

    /** Instances of one primitive type, 0 when absent. */
    public int cells(String cellType) {
        return cellsByType.getOrDefault(cellType, 0);
    }

    /** {@link #lutSites()} as a fraction of the XCVU9P's LUTs. */
    public double lutFraction() {
        return (double) lutSites() / Device.XCVU9P.luts();
    }

    /** Flip-flops as a fraction of the XCVU9P's. */
    public double ffFraction() {
        return (double) ff / Device.XCVU9P.ffs();
    }

    /** DSP slices as a fraction of the XCVU9P's. */
    public double dspFraction() {
        return (double) dsp / Device.XCVU9P.dsps();
    }

    /** RAMB36 equivalents as a fraction of the XCVU9P's. */
    public double bramFraction() {
        return bram36 / Device.XCVU9P.bram36();
    }

    /** An aligned text table: resource, used, available on the XCVU9P, % of the XCVU9P. */
    public String toTable() {
        Device d = Device.XCVU9P;
        String[][] rows = {
            {"resource", "used", "available", "% of " + d.name()},
            row("LUT (all sites)", lutSites(), d.luts()),
            row("  LUT as logic", lut, 0),
            row("  LUT as memory", lutram, d.lutram()),
            row("  LUT as shift reg", srl, 0),
            row("FF", ff, d.ffs()),
            row("CARRY", carry, 0),
            row("DSP", dsp, d.dsps()),
            row("BRAM36", bram36, d.bram36()),
            row("URAM", uram, d.uram()),
            row("IO/clock buffers", io, 0),
            row("other cells", other, 0),
            depth == null ? new String[] {"logic depth (cells)", "not measured", "", ""}
                    : row("logic depth (cells)", depth.levels(), 0),
            depth == null ? null : row("  LUT levels", depth.lutLevels(), 0),
            depth == null ? null : row("  carry cells", depth.carryCells(), 0),
            depth == null ? null : row("  DSP48E2 unregistered", depth.dspCells(), 0),
            depth == null ? null : new String[] {"suggested clock MHz", String.format(Locale.ROOT, "%.0f",
                    depth.suggestedClockMhz()), "", ""},
        };
        rows = java.util.Arrays.stream(rows).filter(Objects::nonNull).toArray(String[][]::new);
        int[] width = new int[4];
        for (String[] r : rows) {
            for (int i = 0; i < 4; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            String line = String.format(Locale.ROOT, "%-" + width[0] + "s  %" + width[1] + "s  %"
                    + width[2] + "s  %" + width[3] + "s", r[0], r[1], r[2], r[3]);
            b.append(line.stripTrailing()).append('\n');
        }
        return b.toString();
    }

    private static String[] row(String name, double used, int available) {
        String u = used == Math.rint(used)
                ? String.format(Locale.ROOT, "%,d", (long) used)
                : String.format(Locale.ROOT, "%,.1f", used);
        if (available <= 0) {
            return new String[] {name, u, "", ""};
        }
        return new String[] {name, u, String.format(Locale.ROOT, "%,d", available),
                String.format(Locale.ROOT, "%.3f", 100.0 * used / available)};
    }
}
