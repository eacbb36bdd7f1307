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
