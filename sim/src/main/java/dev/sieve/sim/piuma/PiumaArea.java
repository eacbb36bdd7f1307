package dev.sieve.sim.piuma;

import dev.sieve.arch.AreaEstimate;
import dev.sieve.arch.AreaEstimate.Component;
import dev.sieve.arch.AreaTable;
import dev.sieve.arch.piuma.HashUnit;
import dev.sieve.arch.piuma.PiumaConfig;
import java.util.List;

/**
 * ASIC area <b>estimate</b> of a PIUMA configuration, only of what its record names in units that
 * {@link AreaTable} has (at the node asked for, 40 nm by default; the PIUMA prototype is a 7 nm
 * FinFET die, where the table's node-squared rule does not carry). Per core, times the cores:
 * <pre>
 * spad            scratchpad bytes x 8 x SRAM bit with periphery
 * cache_data      cache bytes x 8 x SRAM bit (data array only; tags and their compare not counted)
 * hash_table      slots x slot word (valid + key + sum) bits of SRAM
 * hash_logic      one key comparator (key bits) and one adder (sum bits)
 * </pre>
 * Left out (the sources give no unit for them): the pipelines (register files of 16 threads, ALUs,
 * FP units), the DMA, atomic, queue and collective engines, the network and its routers, memory
 * controllers, the optical I/O.
 */
public final class PiumaArea {
    private PiumaArea() {
    }

    /** What the estimate leaves out. */
    public static final List<String> NOT_COVERED = List.of("pipelines: register files, ALUs, FP units",
            "cache tags", "DMA, atomic, queue and collective engines", "network and routers", "DRAM controllers",
            "optical I/O");

    /** The estimate of {@code c} under {@code t}. */
    public static AreaEstimate of(PiumaConfig c, AreaTable t) {
        HashUnit h = c.hashUnit();
        long tableBits = (long) h.slots() * h.slotWidth();
        String sram = "SRAM bytes x 8 x sram_um2_per_bit";
        return new AreaEstimate("piuma", t.nodeNm(), List.of(
                Component.sram("spad", c.cores(), c.spadBytesPerCore(), t, sram),
                Component.sram("cache_data", c.cores(), c.cacheBytesPerCore(), t, sram),
                new Component("hash_table", c.cores(), t.um2(AreaTable.Entry.SRAM) * tableBits,
                        t.um2(AreaTable.Entry.SRAM_CELL) * tableBits, true, h.slots() + " slots x " + h.slotWidth()
                        + " bits x sram_um2_per_bit"),
                Component.logic("hash_logic", c.cores(), t.comparatorUm2(h.keyWidth()) + t.intAdderUm2(h.valueWidth()),
                        h.keyWidth() + "-bit comparator (int32_compare_um2 x " + h.keyWidth() + "/32) + "
                                + h.valueWidth() + "-bit adder (int32_add_um2 x " + h.valueWidth() + "/32)")),
                NOT_COVERED);
    }
}
