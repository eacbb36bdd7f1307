package dev.sieve.sim.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code simulate area}: the printed components add up to the printed total; bad input is one line, exit 2. */
class AreaCommandTest {

    @TempDir
    Path tmp;

    private static double key(String line, String key) {
        for (String kv : line.split(" ")) {
            if (kv.startsWith(key + "=")) {
                return Double.parseDouble(kv.substring(key.length() + 1));
            }
        }
        throw new AssertionError(key + " not in " + line);
    }

    @Test
    void spattenFullScaleComponentsSumToThePrintedTotal() {
        CliRun.Result r = CliRun.run("area", "--family", "spatten");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("ASIC area ESTIMATE of spatten at 40 nm"), r.out());
        List<String> rows = r.out().lines().filter(l -> l.matches("[a-z_]+,\\d+,.*")).toList();
        assertEquals(List.of("qk_multipliers", "qk_adders", "pv_multipliers", "pv_adders", "k_sram", "v_sram",
                "topk_comparators"), rows.stream().map(l -> l.substring(0, l.indexOf(','))).toList());
        double sum = rows.stream().mapToDouble(l -> Double.parseDouble(l.split(",")[3])).sum();
        String last = r.last();
        assertTrue(last.startsWith("area_estimate: family=spatten node_nm=40 "), last);
        // rows are printed to 4 decimals: 7 rows round by at most 7 x 0.00005 mm^2
        assertEquals(key(last, "area_mm2"), sum, 7 * 0.00005 + 1e-9);
        assertEquals(key(last, "area_mm2"), key(last, "logic_mm2") + key(last, "sram_mm2"), 0.00011);
        assertEquals(4.0128, key(last, "area_mm2"), 1e-4, "see SpAttenAreaTest for the hand computation");
    }

    @Test
    void parametersNodeAndTableChangeTheEstimate() throws Exception {
        CliRun.Result eighth = CliRun.run("area", "--family", "spatten", "--param", "qk_multipliers=64",
                "--param", "pv_multipliers=64");
        assertEquals(0, eighth.exit(), eighth.err());
        assertEquals(2.9634, key(eighth.last(), "area_mm2"), 1e-4);
        CliRun.Result at45 = CliRun.run("area", "--family", "spatten", "--node", "45");
        assertEquals(0, at45.exit(), at45.err());
        assertEquals(2 * 196 * 1024 * 8 * 1_162_549.0 / 1_048_576 / 1e6, key(at45.last(), "sram_mm2"), 1e-4,
                "SRAM at 45 nm is the CACTI source unscaled");
        // logic at 45 nm: the 40 nm units x (45/40)^2; SRAM is the 45 nm source itself
        assertEquals(1.1997 * 45 * 45 / 1600, key(at45.last(), "logic_mm2"), 1e-4);
        Path f = tmp.resolve("t.txt");
        Files.writeString(f, "sram_um2_per_bit = 0\n");
        CliRun.Result noSram = CliRun.run("area", "--family", "spatten", "--area-table", f.toString());
        assertEquals(0, key(noSram.last(), "sram_mm2"), 0);
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        Path f = tmp.resolve("bad.txt");
        Files.writeString(f, "int32_add_um2 = 1\nfoo = 2\n");
        CliRun.Result r = CliRun.run("area", "--family", "piuma", "--area-table", f.toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("area: " + f + ":2: foo: unknown key; allowed: int32_add_um2"), r.err());
        assertEquals("", r.out());

        CliRun.Result fam = CliRun.run("area", "--family", "tpu");
        assertEquals(2, fam.exit());
        assertTrue(fam.err().startsWith("area: --family = tpu is unknown; allowed: piuma, sat, spatten"), fam.err());
        assertEquals(1, fam.err().strip().lines().count(), fam.err());

        CliRun.Result param = CliRun.run("area", "--family", "spatten", "--param", "qk_multipliers=0");
        assertEquals(2, param.exit());
        assertTrue(param.err().startsWith("area: --param qk_multipliers = 0 "), param.err());
        assertEquals(1, param.err().strip().lines().count(), param.err());

        CliRun.Result node = CliRun.run("area", "--family", "sat", "--node", "2");
        assertEquals(2, node.exit());
        assertEquals("area: --node = 2 is out of range; allowed 5 .. 1000", node.err().strip());

        CliRun.Result missing = CliRun.run("area", "--family", "sat", "--area-table", tmp.resolve("none").toString());
        assertEquals(2, missing.exit());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
    }
}
