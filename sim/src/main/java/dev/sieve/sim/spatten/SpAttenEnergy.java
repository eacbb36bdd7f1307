package dev.sieve.sim.spatten;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.EnergyTable.Entry;
import java.util.List;

/**
 * Energy of SpAtten runs from the counts of {@link LayerStep}, with the entries of {@link EnergyTable}
 * at SpAtten's 40 nm ({@link #NODE_NM}; the defaults scaled by the table's rule, 40/45 for on-chip
 * entries, HBM unscaled):
 * <pre>
 * hbm_energy_pJ  = HBM bytes fetched            x hbm_pJ_per_byte
 * sram_energy_pJ = on-chip buffer bytes (w + r) x sram_pJ_per_byte
 * mac_energy_pJ  = (Q.K + prob.V multiplies)    x mac_int12_pJ
 * topk_energy_pJ = top-k comparator operations  x topk_compare_pJ
 * energy_pJ      = the sum
 * </pre>
 * The MAC entry is for the paper's 12-bit word; a point with another {@code word_bits} is charged the
 * same per multiply (its bytes, and so its HBM and SRAM energy, follow the word).
 * Dynamic energy of the counted operations only: softmax, the quantization check, control, the clock
 * tree, registers inside the arrays and leakage are not counted (see README, "Energy").
 *
 * @param hbmPj  HBM transfers
 * @param sramPj K/V/Q buffer writes and reads
 * @param macPj  multiplies of the Q·K and prob·V arrays
 * @param topkPj top-k comparator operations
 */
public record SpAttenEnergy(double hbmPj, double sramPj, double macPj, double topkPj) {

    /** SpAtten's technology node (TSMC 40 nm, HPCA 2021). */
    public static final double NODE_NM = 40;

    /** Report columns, in the order of {@link #values()}. */
    public static final List<String> COLUMNS = List.of("hbm_energy_pJ", "sram_energy_pJ", "mac_energy_pJ",
            "topk_energy_pJ", "energy_pJ");

    /** The default table at SpAtten's node. */
    public static EnergyTable defaultTable() {
        return EnergyTable.defaults().scaledTo(NODE_NM);
    }

    public double totalPj() {
        return hbmPj + sramPj + macPj + topkPj;
    }

    /** Components and total, in the order of {@link #COLUMNS}. */
    public List<Object> values() {
        return List.of(hbmPj, sramPj, macPj, topkPj, totalPj());
    }

    /** Average power in W of this energy spent over {@code cycles} at {@code clockGhz}: pJ / ns = mW. */
    public double powerW(long cycles, double clockGhz) {
        return cycles == 0 ? 0 : totalPj() / (cycles / clockGhz) / 1e3;
    }

    /** The energy of {@code steps} under {@code t}. */
    public static SpAttenEnergy of(List<LayerStep> steps, EnergyTable t) {
        long bytes = 0, sram = 0, macs = 0, cmp = 0;
        for (LayerStep s : steps) {
            bytes += s.bytes();
            sram += s.sramBytes();
            macs += s.qkMacs() + s.pvMacs();
            cmp += s.topkComparisons();
        }
        return new SpAttenEnergy(bytes * t.pj(Entry.HBM), sram * t.pj(Entry.SRAM), macs * t.pj(Entry.MAC_INT12),
                cmp * t.pj(Entry.TOPK_COMPARE));
    }

    /** The energy of a whole run. */
    public static SpAttenEnergy of(SpAttenModel.Run run, EnergyTable t) {
        return of(run.steps(), t);
    }
}
