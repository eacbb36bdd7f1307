package dev.sieve.sim.sat;

import dev.sieve.arch.AreaEstimate;
import dev.sieve.arch.AreaTable;
import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SAT's area estimate against a hand computation from the table's entries. */
class SatAreaTest {

    @Test
    void anInt8ArrayIsItsPesAndBuffers() {
        // 8 x 8 PEs of 4 multipliers, 2:4 and 2:8 supported (index bits log2 8 = 3), 64 KiB buffers each
        SatConfig c = new SatConfig(8, 8, 4, List.of(NmPattern.DENSE, new NmPattern(2, 4), new NmPattern(2, 8)),
                NumberFormat.INT8_INT32, 64, 64, 64, 64, 200, 1);
        AreaEstimate a = SatArea.of(c, AreaTable.at(40));
        double mult = 256 * 6351.338 / 16;            // 8x8: (8/32)^2
        double add = 256 * 277.9792;                  // one 32-bit adder per multiplier
        double regs = 64 * 5.981433 * (4 * (8 + 3) + 32); // weights with indices + partial sum
        double sram = 3 * 64 * 1024 * 8 * (1_162_549.0 / 1_048_576) * (40.0 / 45) * (40.0 / 45);
        assertEquals((mult + add + regs) / 1e6, a.logicMm2(), 1e-9);
        assertEquals(sram / 1e6, a.sramMm2(), 1e-9);
        assertEquals((mult + add + regs + sram) / 1e6, a.totalMm2(), 1e-9);
    }

    @Test
    void bf16PesUseTheFloatingPointUnits() {
        SatConfig c = new SatConfig(4, 4, 2, List.of(NmPattern.DENSE), NumberFormat.BF16_FP32, 16, 16, 16, 64, 200, 1);
        AreaEstimate a = SatArea.of(c, AreaTable.at(40));
        double logic = 32 * (8967.113 / 4 + 4361.094) + 16 * 5.981433 * (2 * 16 + 32);
        assertEquals(logic / 1e6, a.logicMm2(), 1e-9);
    }
}
