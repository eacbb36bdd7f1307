package dev.sieve.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate cosim spatten}: bad input is one line naming what is wrong, exit 2, before any
 * design is compiled, and nothing is written. (The run itself is checked in verilator-tests,
 * {@code SpAttenCosimRunTest}.)
 */
class SpAttenCosimCommandTest {

    @TempDir
    Path tmp;

    private Path trace(String rows) throws Exception {
        Path f = tmp.resolve("t.csv");
        Files.writeString(f, SpAttenCommandTest.HEADER + rows);
        return f;
    }

    private void refused(String expected, String... args) throws Exception {
        List<Path> before;
        try (Stream<Path> s = Files.list(tmp)) {
            before = s.toList();
        }
        CliRun.Result r = CliRun.run(args);
        assertEquals(2, r.exit(), r.out() + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("spatten: ") && lines.get(0).contains(expected), lines.get(0));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(before, s.toList(), "nothing written");
        }
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        String ok = "0,0,0,64.0,40,40,6,16,0.05,True,4,8,6,True,False,False,-1\n";
        Path t = trace(ok);
        refused("missing.csv", "cosim", "spatten", "--trace", tmp.resolve("missing.csv").toString());
        refused("--rows = 0 is out of range", "cosim", "spatten", "--trace", t.toString(), "--rows", "0");
        refused("qk_multipliers = 48 is out of range; allowed a power of two", "cosim", "spatten", "--trace",
                t.toString(), "--qk-multipliers", "48");
        refused("hardware preset 'x' is unknown; allowed: spatten, spatten-1/8", "cosim", "spatten", "--trace",
                t.toString(), "--hardware", "x");
        refused("max_n = 100", "cosim", "spatten", "--trace", t.toString(), "--max-n", "100");
        refused("t.csv:2: column 'key_fetch_num' = 40 exceeds --max-n = 32", "cosim", "spatten", "--trace",
                t.toString(), "--max-n", "32");
        Path bad = trace("0,0,0,64.0,40,x,6,16,0.05,True,4,8,6,True,False,False,-1\n");
        refused("t.csv:2", "cosim", "spatten", "--trace", bad.toString());
    }

    @Test
    void cosimWithoutAFamilyListsTheFamilies() {
        CliRun.Result r = CliRun.run("cosim");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("missing FAMILY; allowed: sat, spatten"), r.err());
    }
}
