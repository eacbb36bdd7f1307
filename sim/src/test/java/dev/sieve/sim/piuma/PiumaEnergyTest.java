package dev.sieve.sim.piuma;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.piuma.Algorithm;
import dev.sieve.dataflow.piuma.Op;
import dev.sieve.dataflow.sparse.Rmat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PIUMA's energy against a hand computation from the table (45 nm defaults). */
class PiumaEnergyTest {

    private static SpgemmSimulation.Result result(double scale) {
        long[] kinds = new long[Op.KINDS];
        kinds[Op.SPAD_LOAD] = 30;
        kinds[Op.SPAD_STORE] = 10;
        PiumaStats s = new PiumaStats(1000, kinds, 40, 500, 1000, 200, 150, 10, 5, 7, 3, 0, 0.5, 1, 0.1,
                new PiumaStats.Core[0]);
        return new SpgemmSimulation.Result(Algorithm.SMASH_V3, s, 1.0, scale, 100, 50, 20, 2, 100, 0, 0, 0, null);
    }

    @Test
    void componentsAreCountsTimesEntries() {
        PiumaConfig cfg = PiumaConfig.defaults();
        PiumaEnergy e = PiumaEnergy.of(result(1), cfg, EnergyTable.defaults());
        int access = cfg.dramAccessBytes();
        int line = cfg.cacheLineBytes();
        assertEquals(1200 * 162.5, e.dramPj(), 1e-9, "(1000 + 200) B x 1.3 nJ / 8 B");
        assertEquals(((10 + 5) * access + 5 * line) * 1.25, e.cachePj(), 1e-9, "accesses + line fills x 10 pJ / 8 B");
        assertEquals(40 * 8 * 2.5, e.spadPj(), 1e-9, "40 scratchpad ops x 8 B x 20 pJ / 8 B");
        assertEquals(7 * 40.1, e.atomicPj(), 1e-9);
        assertEquals(20 * 0.2, e.hashPj(), 1e-9);
        assertEquals(3 * 2 * 16 * 1.6, e.networkPj(), 1e-9, "3 remote ops, request and reply of 16 B");
        assertEquals(500 * 0.1, e.corePj(), 1e-9);
        assertEquals(100 * 4.6, e.fpPj(), 1e-9);
        assertEquals(195_000 + ((10 + 5) * access + 5 * line) * 1.25 + 800 + 280.7 + 4 + 153.6 + 50 + 460, e.totalPj(),
                1e-6);
        // a sampled run: counters scale like its cycles, the whole product's flops do not
        PiumaEnergy twice = PiumaEnergy.of(result(2), cfg, EnergyTable.defaults());
        assertEquals(2 * (e.totalPj() - e.fpPj()) + e.fpPj(), twice.totalPj(), 1e-6);
    }

    @Test
    void aRealRunSpendsMostOnMemory() {
        PiumaConfig cfg = PiumaConfig.defaults();
        var a = Rmat.generate(8, 8, 1);
        SpgemmSimulation.Result r = SpgemmSimulation.run(Algorithm.SMASH_V3, a, a, cfg, 0, false);
        PiumaEnergy e = PiumaEnergy.of(r, cfg, EnergyTable.defaults());
        assertEquals((r.stats().dramReadBytes() + r.stats().dramWriteBytes()) * 162.5, e.dramPj(), 1e-6);
        assertEquals(r.flops() * 4.6, e.fpPj(), 1e-6);
        assertTrue(e.totalPj() > e.dramPj() && e.dramPj() > 0);
    }
}
