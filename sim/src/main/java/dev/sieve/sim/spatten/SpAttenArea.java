package dev.sieve.sim.spatten;

import dev.sieve.arch.AreaEstimate;
import dev.sieve.arch.AreaEstimate.Component;
import dev.sieve.arch.AreaTable;
import dev.sieve.arch.spatten.SpAttenConfig;
import java.util.List;

/**
 * ASIC area <b>estimate</b> of a SpAtten configuration from the units its record names, with the
 * entries of {@link AreaTable} (the paper's node, 40 nm, by default):
 * <pre>
 * qk_multipliers / pv_multipliers  count x word x word integer multiplier   (32-bit x (w/32)^2)
 * qk_adders / pv_adders            count x 32-bit adder (one accumulating add per multiplier, as the
 *                                  energy model's MAC: an adder tree of n inputs has n - 1)
 * k_sram / v_sram                  bytes x 8 x SRAM bit with periphery
 * topk_comparators                 engines x comparators x word-bit comparator (32-bit x w/32)
 * </pre>
 * Left out (the record does not describe them): softmax, quantization and importance-accumulation
 * units, Q, probability and top-k score buffers, crossbars, control, the clock tree, HBM controllers
 * and PHYs, I/O.
 */
public final class SpAttenArea {
    private SpAttenArea() {
    }

    /** What the estimate leaves out. */
    public static final List<String> NOT_COVERED = List.of("softmax units", "quantization and importance "
            + "accumulation", "Q, probability and top-k score buffers", "crossbars and routing", "control and clock tree",
            "HBM controllers and PHYs (16 channels at full scale)", "I/O pads");

    /** The estimate of {@code c} under {@code t}. */
    public static AreaEstimate of(SpAttenConfig c, AreaTable t) {
        int w = c.wordBits();
        String mult = w + "x" + w + "-bit multiplier = int32_mult_um2 x (" + w + "/32)^2";
        String add = "32-bit accumulating adder = int32_add_um2";
        String sram = "SRAM bytes x 8 x sram_um2_per_bit";
        return new AreaEstimate("spatten", t.nodeNm(), List.of(
                Component.logic("qk_multipliers", c.qkMultipliers(), t.intMultiplierUm2(w), mult),
                Component.logic("qk_adders", c.qkMultipliers(), t.intAdderUm2(32), add),
                Component.logic("pv_multipliers", c.pvMultipliers(), t.intMultiplierUm2(w), mult),
                Component.logic("pv_adders", c.pvMultipliers(), t.intAdderUm2(32), add),
                Component.sram("k_sram", 1, c.kSramBytes(), t, sram),
                Component.sram("v_sram", 1, c.vSramBytes(), t, sram),
                Component.logic("topk_comparators", (long) c.topkEngines() * c.topkComparators(),
                        t.comparatorUm2(w), w + "-bit comparator = int32_compare_um2 x " + w + "/32")),
                NOT_COVERED);
    }
}
