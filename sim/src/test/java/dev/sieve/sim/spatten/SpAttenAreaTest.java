package dev.sieve.sim.spatten;

import dev.sieve.arch.AreaEstimate;
import dev.sieve.arch.AreaTable;
import dev.sieve.arch.spatten.SpAttenConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SpAtten's area estimate against a hand computation from the table's entries. */
class SpAttenAreaTest {

    @Test
    void fullScaleAt40nmIsItsUnitsSummed() {
        AreaEstimate a = SpAttenArea.of(SpAttenConfig.paper(), AreaTable.at(40));
        // multipliers: 1024 x 6351.338 x (12/32)^2 = 1024 x 893.157 um^2; adders: 1024 x 277.979
        double logic = 1024 * (6351.338 * 9 / 64 + 277.9792) + 16 * 71.0 * 12 / 32;
        // K + V SRAM: 2 x 196 KiB x 8 bit x 1.1086931 um^2 x (40/45)^2 (= 0.876005 um^2/bit)
        double sram = 2 * 196 * 1024 * 8 * (1_162_549.0 / 1_048_576) * (40.0 / 45) * (40.0 / 45);
        assertEquals(1.1997, logic / 1e6, 1e-4);
        assertEquals(2.8131, sram / 1e6, 1e-4);
        assertEquals(logic / 1e6, a.logicMm2(), 1e-9);
        assertEquals(sram / 1e6, a.sramMm2(), 1e-9);
        assertEquals((logic + sram) / 1e6, a.totalMm2(), 1e-9);
        assertEquals(a.components().stream().mapToDouble(AreaEstimate.Component::mm2).sum(), a.totalMm2(), 1e-12);
        // the floor: SRAM as cells only, 146 F^2 at 40 nm = 0.2336 um^2/bit
        assertEquals((logic + 2 * 196 * 1024 * 8 * 0.2336) / 1e6, a.floorMm2(), 1e-9);
        assertTrue(a.totalMm2() < 18.71, "the paper's chip holds much the table does not count");
    }

    @Test
    void theOneEighthDesignHasAnEighthOfTheArithmeticAndTheSameSrams() {
        AreaTable t = AreaTable.at(40);
        AreaEstimate full = SpAttenArea.of(SpAttenConfig.paper(), t);
        AreaEstimate eighth = SpAttenArea.of(SpAttenConfig.oneEighth(), t);
        double fullArith = full.logicMm2() - 16 * t.comparatorUm2(12) / 1e6;
        double eighthArith = eighth.logicMm2() - 16 * t.comparatorUm2(12) / 1e6;
        assertEquals(fullArith / 8, eighthArith, 1e-12);
        assertEquals(full.sramMm2(), eighth.sramMm2(), 0);
    }
}
