package dev.sieve.cosim.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.cosim.Verilator;
import dev.sieve.hdl.lib.Counter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without Verilator on the PATH, a co-simulation fails with the install command in its message. */
class MissingVerilatorTest {

    /** Run in a child JVM whose PATH has no Verilator: tries to compile a design. */
    public static void main(String[] args) {
        try {
            Verilator.compile(new Counter(new Counter.Config(10)).build());
            System.out.println("compiled");
        } catch (RuntimeException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Test
    void missingVerilatorNamesTheInstallCommand() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                MissingVerilatorTest.class.getName())).redirectErrorStream(true);
        pb.environment().put("PATH", "/nonexistent");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertTrue(out.contains("ToolMissingException: verilator was not found on the PATH; install it with: "
                + "sudo scripts/install-tools   (or: apt-get install verilator)"), out);
    }
}
