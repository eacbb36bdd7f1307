package dev.sieve.sim.sat;

import dev.sieve.arch.AreaEstimate;
import dev.sieve.arch.AreaEstimate.Component;
import dev.sieve.arch.AreaTable;
import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import java.util.List;

/**
 * ASIC area <b>estimate</b> of a SAT array from the units its record names, with the entries of
 * {@link AreaTable} (SAT has no ASIC node: the paper's design is on an FPGA; the estimate is at the
 * node asked for, 40 nm by default). Per PE (R x C of them), by number format:
 * <pre>
 *                   INT8 -&gt; INT32                         BF16 -&gt; FP32
 * multipliers       L x 8x8 (int32_mult x (8/32)^2)       L x BF16 (fp32_mult x (16/32)^2)
 * adders            L x 32-bit integer (the L products    L x FP32 adder (the PE's chain of L adds)
 *                   and the partial sum)
 * registers         weights L x (word + index bits), the 32-bit partial sum
 * </pre>
 * and the three buffers (ifmap, weight, ofmap) as SRAM. Index bits are log2 of the largest M the
 * array supports. Left out: the activation-select multiplexers, the skew registers, the N:M
 * pre-generation, tile control, the DRAM interface.
 */
public final class SatArea {
    private SatArea() {
    }

    /** What the estimate leaves out. */
    public static final List<String> NOT_COVERED = List.of("activation-select multiplexers and skew registers",
            "N:M weight pre-generation", "tile control and clock tree", "DRAM controller and PHY", "I/O pads");

    /** The estimate of {@code c} under {@code t}. */
    public static AreaEstimate of(SatConfig c, AreaTable t) {
        long pes = (long) c.rows() * c.cols();
        long l = (long) pes * c.multipliersPerPe();
        boolean int8 = c.format() == NumberFormat.INT8_INT32;
        int word = int8 ? 8 : 16;
        int indexBits = c.patterns().stream().mapToInt(NmPattern::indexBits).max().orElse(0);
        int weightBits = c.multipliersPerPe() * (word + indexBits);
        String sram = "SRAM bytes x 8 x sram_um2_per_bit";
        return new AreaEstimate("sat", t.nodeNm(), List.of(
                int8 ? Component.logic("multipliers", l, t.intMultiplierUm2(8), "8x8-bit multiplier = int32_mult_um2"
                        + " x (8/32)^2")
                        : Component.logic("multipliers", l, t.fpMultiplierUm2(16), "BF16 multiplier = fp32_mult_um2"
                        + " x (16/32)^2"),
                int8 ? Component.logic("adders", l, t.intAdderUm2(32), "32-bit adder = int32_add_um2")
                        : Component.logic("adders", l, t.fp32AdderUm2(), "FP32 adder = fp32_add_um2"),
                Component.logic("pe_registers", pes, t.registerUm2(weightBits + 32L), "per PE " + weightBits
                        + " weight/index bits + 32 partial-sum bits, x register_um2_per_bit"),
                Component.sram("ifmap_buffer", 1, 1024L * c.ifmapKiB(), t, sram),
                Component.sram("weight_buffer", 1, 1024L * c.weightKiB(), t, sram),
                Component.sram("ofmap_buffer", 1, 1024L * c.ofmapKiB(), t, sram)),
                NOT_COVERED);
    }
}
