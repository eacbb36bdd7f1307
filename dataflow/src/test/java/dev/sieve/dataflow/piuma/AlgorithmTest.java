package dev.sieve.dataflow.piuma;

import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.sparse.Csr;
import dev.sieve.dataflow.sparse.Rmat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AlgorithmTest {

    /** The CLI decides how to schedule a simulation before it starts the run: both must agree. */
    @Test
    void anAlgorithmIsCoreLocalExactlyWhenItsRunsAre() {
        Csr a = Rmat.generate(6, 4, 3);
        for (Algorithm alg : Algorithm.values()) {
            assertEquals(alg.start(a, a, PiumaConfig.defaults(), false).coreLocal(), alg.coreLocal(), alg.cliName());
        }
    }
}
