package dev.sieve.sim.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.piuma.Algorithm;
import dev.sieve.dataflow.piuma.Op;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.dataflow.sparse.Rmat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link InnerBound} against whole simulations of the inner product. */
class InnerBoundTest {

    @Test
    void aLoneThreadWithoutCacheTakesExactlyTheChainPlusItsStores() {
        // one thread on one single-threaded pipeline, no cache, 64 B/cycle: no load ever queues, so
        // each load takes its ALU cycles plus the 120-cycle DRAM latency (the chain bound exactly)
        // and each store (ALU 1) holds the thread for its two slots
        PiumaConfig cfg = PiumaModelTest.machine(1, 0, 1, 1, 64);
        Csr a = Rmat.generate(6, 4, 3);
        var r = SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, 0, false);
        long stores = r.stats().ops(Op.STORE);
        assertTrue(stores > 0);
        assertEquals(r.cycles(), InnerBound.cycles(a, a, cfg) + 2 * stores);
    }

    @Test
    void theBoundIsBelowTheSimulatedCyclesOnTheDefaultMachine() {
        PiumaConfig cfg = PiumaConfig.defaults();
        for (int scale = 8; scale <= 10; scale++) {
            Csr a = Rmat.generate(scale, 16, 1);
            long simulated = SpgemmSimulation.run(Algorithm.INNER, a, a, cfg, 0, false, 2).cycles();
            long bound = InnerBound.cycles(a, a, cfg);
            // at scale 10 the busiest pipeline issues in 91 % of the cycles (1,562,927 of 1,718,368)
            assertTrue(bound <= simulated && bound > simulated / 3, "scale " + scale + ": " + bound + " vs " + simulated);
        }
    }
}
