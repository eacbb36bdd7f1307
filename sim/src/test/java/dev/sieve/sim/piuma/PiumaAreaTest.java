package dev.sieve.sim.piuma;

import dev.sieve.arch.AreaEstimate;
import dev.sieve.arch.AreaTable;
import dev.sieve.arch.piuma.PiumaConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PIUMA's area estimate against a hand computation from the table's entries. */
class PiumaAreaTest {

    @Test
    void theDefaultMachineIsEightCoresOfSramAndAHashUnit() {
        AreaEstimate a = PiumaArea.of(PiumaConfig.defaults(), AreaTable.at(40));
        double bit = (1_162_549.0 / 1_048_576) * (40.0 / 45) * (40.0 / 45); // 0.876 um^2 per SRAM bit at 40 nm
        // per core: 4 MiB SPAD, 192 KiB cache data, 1024 slots x (1 + 31 + 32) bits of hash table
        double sram = 8 * bit * ((4L << 20) * 8 + (192L << 10) * 8 + 1024 * 64);
        // per core: a 31-bit comparator (71 x 31/32) and a 32-bit adder
        double logic = 8 * (71.0 * 31 / 32 + 277.9792);
        assertEquals(sram / 1e6, a.sramMm2(), 1e-9);
        assertEquals(logic / 1e6, a.logicMm2(), 1e-9);
        assertEquals(246.6354, a.totalMm2(), 1e-4);
    }
}
