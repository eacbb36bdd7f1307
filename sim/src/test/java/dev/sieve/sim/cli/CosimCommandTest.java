package dev.sieve.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code simulate cosim sat} on bad input: one line naming the option and what is allowed, exit 2,
 * before anything is generated or compiled (the co-simulation itself is checked in verilator-tests).
 */
class CosimCommandTest {
    private static final String CNN = "../examples/topologies/fmnist_cnn.csv";

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        "--array; 4x4x; --array '4x4x' is malformed; write RxC, for example 32x32",
        "--layers; fc9; --layers: 'fc9' is not a layer of",
        "--nm; 3:8; --nm 3:8: N = 3 must divide --multipliers = 4",
        "--buffer-kib; 4; layer conv1 fwd: descriptor refused: activations need 784 buffer words",
        "--latency; -1; --latency",
        "--format; fp8; --format",
        "--segments; 3; --segments 3 is not allowed for 4 rows; allowed: a power of two dividing rows"})
    void badOptionsGiveOneLineAndExit2(String option, String value, String message) {
        CliRun.Result r = option.equals("--array") ? CliRun.run("cosim", "sat", "--topology", CNN, option, value)
                : CliRun.run("cosim", "sat", "--topology", CNN, "--array", "4x4", option, value);
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    /**
     * A schedule the built hardware does not run, refused before anything is compiled, naming the pass:
     * on 8x8 INT8 dense with up to 4 segments the scheduler runs conv2's data gradient (144 outputs, 18
     * column tiles) input-stationary at S = 4, whose steps would wrap from column tile 17 to 0 and
     * reach two words of one output bank.
     */
    @org.junit.jupiter.api.Test
    void aSegmentScheduleTheHardwareDoesNotRunIsRefusedNamingThePass() {
        CliRun.Result r = CliRun.run("cosim", "sat", "--topology", CNN, "--array", "8x8", "--nm", "dense",
                "--segments", "4");
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("layer conv2 dgrad: descriptor refused: segments = 4 with colTiles = 18 in the "
                + "input-stationary order"), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    /** A build time limit that is not whole seconds: one line naming the setting, exit 2, before compiling. */
    @org.junit.jupiter.api.Test
    void aBadBuildTimeLimitGivesOneLineAndExit2() {
        String before = System.getProperty("sieve.verilator.timeout");
        System.setProperty("sieve.verilator.timeout", "ten");
        try {
            CliRun.Result r = CliRun.run("cosim", "sat", "--topology", CNN, "--array", "4x4", "--layers", "fc2");
            assertEquals(2, r.exit(), r.err());
            assertEquals("sat: -Dsieve.verilator.timeout='ten' is not a time limit; allowed: a whole number of seconds >= 1",
                    r.err().strip());
            assertTrue(r.out().isEmpty(), r.out());
        } finally {
            if (before == null) {
                System.clearProperty("sieve.verilator.timeout");
            } else {
                System.setProperty("sieve.verilator.timeout", before);
            }
        }
    }
}
