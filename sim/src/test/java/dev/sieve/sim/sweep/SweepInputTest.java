package dev.sieve.sim.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.sim.cli.Simulate;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Each kind of bad sweep input gives one line naming file, line and field, exit code 2, and no output. */
class SweepInputTest {

    @TempDir
    Path tmp;

    private static final String GOOD_TOPOLOGY = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
            + "Channels, Num Filter, Strides,\nconv1, 34, 34, 3, 3, 3, 64, 1,\nconv2, 18, 18, 3, 3, 64, 128, 1,\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing workload file|workloads: [nope.csv]||spec.yaml:2: workloads: file not found",
        "row without trailing comma|workloads: [t.csv]|conv1, 34, 34, 3, 3, 3, 64, 1|t.csv:2:",
        "non-numeric value|workloads: [t.csv]|conv1, 34, x, 3, 3, 3, 64, 1,|t.csv:2:",
        "negative value|workloads: [t.csv]|conv1, 34, 34, 3, 3, -3, 64, 1,|t.csv:2:",
        "unknown key|workloads: [t.csv]\\nthreads: 4||spec.yaml:3: threads: unknown key; allowed: accelerator",
        "unknown parameter|workloads: [t.csv]\\nparameters:\\n  rows: [8]||spec.yaml:4: parameters.rows: unknown parameter",
        "unknown value|workloads: [t.csv]\\nparameters:\\n  format: [fp8]||spec.yaml:4: parameters.format: value 'fp8' is not",
        "invalid N:M|workloads: [t.csv]\\nparameters:\\n  nm: ['3:6']||spec.yaml:4: parameters.nm: value '3:6' is not allowed",
        "unknown accelerator|workloads: [t.csv]||spec.yaml:1: accelerator: 'tpu' is not supported; allowed: piuma, sat, spatten",
    })
    void badInputIsOneLineExitTwoNoOutput(String what, String specBody, String topologyRow, String expected)
            throws Exception {
        Files.writeString(tmp.resolve("t.csv"), topologyRow == null ? GOOD_TOPOLOGY
                : "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
                        + topologyRow + "\n");
        String accelerator = what.equals("unknown accelerator") ? "tpu" : "sat";
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, "accelerator: " + accelerator + "\n" + specBody.replace("\\n", "\n") + "\n");
        Path out = tmp.resolve("out");

        CommandLine cli = commandLine();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int exit = cli.execute("sweep", spec.toString(), "--out", out.toString());
        String msg = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, exit, what + ": " + msg);
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains(expected.replace("spec.yaml", spec.toString()).replace("t.csv", tmp.resolve("t.csv").toString())),
                what + ": " + msg);
        assertFalse(Files.exists(out), "nothing written");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "zero threads|--threads|0|--threads = 0 is out of range",
    })
    void badOptionsAreUsageErrors(String what, String option, String value, String expected) throws Exception {
        Files.writeString(tmp.resolve("t.csv"), GOOD_TOPOLOGY);
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, "accelerator: sat\nworkloads: [t.csv]\n");
        CommandLine cli = commandLine();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        assertEquals(2, cli.execute("sweep", spec.toString(), option, value, "--out", tmp.resolve("o").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(expected), err.toString(StandardCharsets.UTF_8));
    }

    private static CommandLine commandLine() throws Exception {
        java.lang.reflect.Method m = Simulate.class.getDeclaredMethod("commandLine");
        m.setAccessible(true);
        return (CommandLine) m.invoke(null);
    }
}
