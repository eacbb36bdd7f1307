package dev.sieve.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code simulate bench sat-layout}: its table and last line, and one-line errors before anything is printed. */
class SatLayoutBenchTest {
    private static final String CNN = "../examples/topologies/fmnist_cnn.csv";

    /**
     * Fashion-MNIST CNN on an 8x8 INT8 accelerator built for 2:8: 11 passes (4 forward, 3 data
     * gradients, 4 weight gradients), each row's last column 1.000 (with every term taken away the
     * rule is the model's), and the accelerator's layout costs more than the model's packed bytes.
     */
    @Test
    void printsOneRowPerPassKindAndTheLastLine() {
        CliRun.Result r = CliRun.run("bench", "sat-layout", "--topology", CNN, "--array", "8x8", "--format", "int8",
                "--nm", "2:8");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.last().matches("bench-sat-layout: passes=11 fits=11 ratio_min=\\d+\\.\\d{3} ratio_max=\\d+\\.\\d{3}"
                + " ratio_total=\\d+\\.\\d{3}"), r.last());
        assertTrue(Double.parseDouble(r.last().replaceAll(".*ratio_total=", "")) > 1, r.last());
        long rows = r.out().lines().filter(l -> l.startsWith("fmnist_cnn ")).peek(l ->
                assertTrue(l.endsWith(" 1.000"), l)).count();
        assertEquals(3, rows);
    }

    @ParameterizedTest
    @CsvSource({"--array, 3x, --array '3x' is malformed", "--nm, 3:8, --nm 3:8: N = 3 must divide 4",
            "--dram-bytes-per-cycle, 0, --dram-bytes-per-cycle = 0.0 is out of range",
            "--topology, missing.csv, missing.csv"})
    void badOptionsAreOneLineExitTwoAndPrintNothing(String option, String value, String message) {
        CliRun.Result r = CliRun.run("bench", "sat-layout", "--topology", CNN, "--array", "8x8", option, value);
        assertEquals(2, r.exit(), r.out());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(message), r.err());
    }
}
