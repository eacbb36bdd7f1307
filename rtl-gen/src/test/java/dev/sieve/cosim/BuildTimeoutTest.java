package dev.sieve.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.tools.ExternalTool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The time limit of each Verilator build step: the default grows with the size of the Verilog (a
 * 16×16 BF16 accelerator took longer than a fixed 600 s to translate on a loaded machine), the
 * system property wins over the environment variable, a value that is not a whole number of
 * seconds is refused by name, and a step that runs over its limit is stopped with a message that
 * names the limit and both ways to raise it.
 */
class BuildTimeoutTest {
    private static final long MIB = 1 << 20;

    @Test
    void theDefaultGrowsPerStartedMibOfVerilog() {
        long base = ModelBuilder.BASE_TIMEOUT_S;
        long per = ModelBuilder.TIMEOUT_S_PER_MIB;
        assertEquals(base, ModelBuilder.stepTimeoutSeconds(null, null, 0));
        assertEquals(base + per, ModelBuilder.stepTimeoutSeconds(null, null, 1));
        assertEquals(base + per, ModelBuilder.stepTimeoutSeconds(null, "", MIB));
        assertEquals(base + 2 * per, ModelBuilder.stepTimeoutSeconds(" ", null, MIB + 1));
        assertTrue(ModelBuilder.stepTimeoutSeconds(null, null, 0) > 600, "above the old fixed 600 s");
    }

    @Test
    void theCxxBuildAlsoGrowsPerStartedMibOfGeneratedCxx() {
        long base = ModelBuilder.BASE_TIMEOUT_S;
        long per = ModelBuilder.TIMEOUT_S_PER_MIB;
        long perCxx = ModelBuilder.TIMEOUT_S_PER_CXX_MIB;
        // the 16x16 BF16 accelerator: 916 KiB of Verilog, 82,885,820 bytes of generated C++ (80 MiB started: 80)
        assertEquals(base + per + 80 * perCxx, ModelBuilder.stepTimeoutSeconds(null, null, 916 * 1024, 82_885_820));
        assertTrue(ModelBuilder.stepTimeoutSeconds(null, null, 916 * 1024, 82_885_820) > 3 * 3600,
                "the 16x16 BF16 C++ gets hours: its make ran past 3,600 s at load 33");
        assertEquals(900, ModelBuilder.stepTimeoutSeconds("900", null, 916 * 1024, 82_885_820), "a setting is the limit");
    }

    @Test
    void thePropertyWinsOverTheEnvironment() {
        assertEquals(7200, ModelBuilder.stepTimeoutSeconds("7200", "60", 50 * MIB));
        assertEquals(60, ModelBuilder.stepTimeoutSeconds(null, " 60 ", 50 * MIB));
    }

    @Test
    void aLimitThatIsNotWholeSecondsIsRefusedByName() {
        var fromProperty = assertThrows(ExternalTool.BadSettingException.class,
                () -> ModelBuilder.stepTimeoutSeconds("10m", null, 0));
        assertEquals("-Dsieve.verilator.timeout='10m' is not a time limit; allowed: a whole number of seconds >= 1",
                fromProperty.getMessage());
        var fromEnv = assertThrows(ExternalTool.BadSettingException.class,
                () -> ModelBuilder.stepTimeoutSeconds(null, "0", 0));
        assertTrue(fromEnv.getMessage().startsWith("SIEVE_VERILATOR_TIMEOUT='0' is not a time limit"), fromEnv.getMessage());
    }

    @Test
    void aStepOverItsLimitIsStoppedWithTheLimitAndHowToRaiseIt() {
        ExternalTool sleep = ExternalTool.require("sleep", "apt-get install coreutils");
        long start = System.nanoTime();
        var e = assertThrows(ExternalTool.ToolTimeoutException.class,
                () -> ModelBuilder.runStep(sleep, Path.of("."), 1, List.of("30"), "sleep (a stand-in step)"));
        assertTrue((System.nanoTime() - start) / 1e9 < 20, "stopped at the limit, not after the step ended");
        assertEquals(1, e.timeoutSeconds());
        assertEquals("sleep (a stand-in step) did not finish within the build-step limit of 1 s; raise it with"
                + " -Dsieve.verilator.timeout=SECONDS (java) or SIEVE_VERILATOR_TIMEOUT=SECONDS (environment)",
                e.getMessage());
    }
}
