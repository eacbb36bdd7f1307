package dev.sieve.sim.spatten;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.dataflow.spatten.AttentionTrace;
import dev.sieve.dataflow.spatten.SpAttenPolicy;
import dev.sieve.dataflow.spatten.TraceRow;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SpAtten's energy against hand computations from the table (40 nm: on-chip entries x 40/45). */
class SpAttenEnergyTest {

    private final SpAttenConfig cfg = SpAttenConfig.paper();
    private final SpAttenModel model = new SpAttenModel(cfg);
    private final EnergyTable t = SpAttenEnergy.defaultTable();

    private static final double F = 40.0 / 45;
    private static final double HBM = 31.2;           // 3.9 pJ/bit x 8, off-chip: unscaled
    private static final double SRAM = 2.5 * F;       // 20 pJ / 64 bit at 45 nm
    private static final double MAC = 0.55 * F;       // 0.2 x (12/8)^2 + 0.1 at 45 nm
    private static final double CMP = 0.04 * F;       // 12-bit compare at 45 nm

    private static TraceRow row(int seq, int keys, int values, int keyBits, boolean requant, int valueBits) {
        return new TraceRow(1, 0, 0, 64, seq, keys, keyBits, 16, requant ? 0.05 : -1, requant, requant ? 4 : -1,
                values, valueBits, 0);
    }

    @Test
    void aDenseGenerationHead() {
        // one query, 1024 keys and values of 64 x 12 bits = 96 B each:
        // HBM  = 96 + 1024 x 96 + 1024 x 96 = 196,704 B
        // SRAM = 196,704 written + 1024 x 96 K read + 1024 x 96 V read = 393,312 B
        // MACs = 1024 x 64 (Q.K) + 1024 x 64 (prob.V) = 131,072; no top-k (nothing pruned, one layer)
        SpAttenEnergy e = SpAttenEnergy.of(model.run(new AttentionTrace("one", List.of(row(1024, 1024, 1024, -1,
                false, -1))), SpAttenPolicy.paper().dense()), t);
        assertEquals(196_704 * HBM, e.hbmPj(), 1e-6);
        assertEquals(393_312 * SRAM, e.sramPj(), 1e-6);
        assertEquals(131_072 * MAC, e.macPj(), 1e-6);
        assertEquals(0, e.topkPj(), 0);
        assertEquals(6_137_164.8 + 874_026.667 + 64_079.644, e.totalPj(), 1e-2);
    }

    @Test
    void aPrunedQuantizedHeadWithOneRefetch() {
        // 102 of 1024 keys at 6-bit MSBs then 4 LSBs, 20 values at 6 bits, one query:
        // HBM  = 96 (Q) + 102 x 48 + 102 x 32 (K) + 20 x 48 (V) = 9,216 B
        // SRAM = 9,216 written + 102 x 48 (K MSBs read) + 20 x 48 (V read) + 102 x 80 (K re-read at 10 bits)
        //      = 23,232 B
        // MACs = 102 x 64 + 102 x 64 (the refetched row again) + 20 x 64 = 14,336
        // top-k: the engine keeps 20 of 102 for the one query: its mean cycles (rounded up) x 16 comparators
        SpAttenEnergy e = SpAttenEnergy.of(model.run(new AttentionTrace("one", List.of(row(1024, 102, 20, 6, true,
                6))), SpAttenPolicy.paper()), t);
        assertEquals(9_216 * HBM, e.hbmPj(), 1e-6);
        assertEquals(23_232 * SRAM, e.sramPj(), 1e-6);
        assertEquals(14_336 * MAC, e.macPj(), 1e-6);
        double comparisons = Math.ceil(new TopKCost(cfg.topk(1024)).engineCycles(102, 20)) * 16;
        assertEquals(comparisons * CMP, e.topkPj(), 1e-9);
    }

    @Test
    void powerIsEnergyOverTime() {
        SpAttenEnergy e = new SpAttenEnergy(1e6, 0, 0, 0);
        // 1e6 pJ over 1000 cycles at 1 GHz = 1e6 pJ / 1000 ns = 1000 mW
        assertEquals(1.0, e.powerW(1000, 1.0), 1e-12);
        assertEquals(2.0, e.powerW(1000, 2.0), 1e-12);
    }
}
