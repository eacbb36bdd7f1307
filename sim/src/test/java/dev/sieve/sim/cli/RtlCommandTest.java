package dev.sieve.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code simulate rtl}: listing, generation, and one-line errors with exit code 2 on bad input. */
class RtlCommandTest {

    @TempDir
    Path tmp;

    @Test
    void listNamesOneBlockPerLine() {
        CliRun.Result r = CliRun.run("rtl", "--list");
        assertEquals(0, r.exit());
        assertEquals(List.of("counter", "fifo", "ram", "stream_stage", "mac", "adder_tree", "hash_accumulator",
                "delay_line", "topk", "spatten_pipeline", "sat_pe", "sat_array", "sat_nm_pregen", "sat_accelerator"),
                r.out().lines().toList());
    }

    @Test
    void generatesLintsAndEstimates() throws Exception {
        Path dir = tmp.resolve("mac");
        CliRun.Result r = CliRun.run("rtl", "mac", "--param", "a_width=16", "--param", "b_width=16", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(dir.resolve("mac_s16x16_acc32.v")));
        String last = r.out().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("rtl: block=mac module=mac_s16x16_acc32 files=1 lint_warnings=0 "), last);
        assertTrue(last.contains(" dsp=1 "), last);
        assertTrue(r.out().contains("% of XCVU9P"), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown block|nope||unknown block 'nope'; allowed: counter, fifo, ram",
        "unknown parameter|fifo|dept=4|unknown parameter 'dept' for block fifo; allowed: width, depth",
        "malformed parameter|fifo|width=x|parameter width = 'x' is malformed; allowed 1 .. 1024",
        "parameter without value|fifo|width|--param 'width' is malformed; write it as name=value",
        "width of zero|fifo|width=0|width = 0 is out of range; allowed 1 .. 1024",
        "depth not allowed|fifo|depth=1|depth = 1 is out of range; allowed 2 .. 65536",
        "accumulator too narrow|mac|acc_width=8|acc_width = 8 is out of range; allowed 16 .. 96",
        "SAT array the model takes but the generators do not|sat_array|rows=128|rows = 128 is beyond the RTL"
            + " generators (the point is modelled only); RTL allowed 1 .. 64",
        "SAT PE wider than the generators build|sat_pe|multipliers=32|multipliersPerPe = 32 is beyond the RTL"
            + " generators (the point is modelled only); RTL allowed 1 .. 16",
        "SAT array the model refuses too|sat_array|rows=2000|rows = 2000 is out of range; allowed 1 .. 1024",
        "top-k comparators|topk|comparators=12|comparators = 12 is out of range; allowed a power of two in 2 .. 64",
    })
    void badInputIsOneLineExitTwoAndWritesNothing(String what, String block, String param, String message)
            throws Exception {
        Path dir = tmp.resolve("out");
        CliRun.Result r = param == null
                ? CliRun.run("rtl", block, "--out", dir.toString())
                : CliRun.run("rtl", block, "--param", param, "--out", dir.toString());
        assertEquals(2, r.exit(), what);
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("rtl: " + message), r.err());
        assertFalse(Files.exists(dir), "nothing may be written on bad input");
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.count(), "no staging folder is left behind");
        }
    }
}
