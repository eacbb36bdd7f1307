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
import picocli.CommandLine;

/** {@code simulate piuma}: CSVs, the summary line, and one-line errors with exit code 2. */
class PiumaCommandTest {

    @TempDir
    Path tmp;

    @Test
    void sampledBaselinesReportTheirEstimateRangeAndError() throws Exception {
        Path dir = tmp.resolve("sampled");
        CliRun.Result r = CliRun.run("piuma", "--rmat", "9,8", "--algo", "smash-v3", "--no-progress",
                "--baseline-max-ops", "20000", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        String last = r.lastLine();
        assertTrue(last.matches(".* inner_error_pct=\\d+\\.\\d\\d outer_error_pct=\\d+\\.\\d\\d"), last);
        for (String alg : java.util.List.of("inner", "outer")) {
            String[] row = Files.readAllLines(dir.resolve("piuma_" + alg + ".csv")).get(1).split(",", -1);
            long low = Long.parseLong(row[PiumaCommand.COLUMNS.indexOf("cycles_low")]);
            long high = Long.parseLong(row[PiumaCommand.COLUMNS.indexOf("cycles_high")]);
            long cycles = Long.parseLong(row[PiumaCommand.COLUMNS.indexOf("cycles")]);
            double error = Double.parseDouble(row[PiumaCommand.COLUMNS.indexOf("error_pct")]);
            assertTrue(Double.parseDouble(row[PiumaCommand.COLUMNS.indexOf("sampled_fraction")]) < 1, alg);
            // the estimate lies in its range, the error is its larger distance to an end
            assertTrue(low <= cycles && cycles <= high, alg);
            assertEquals(100.0 * Math.max(cycles - low, high - cycles) / cycles, error, 1e-3 * Math.max(1, error), alg);
            assertTrue(last.contains(String.format(java.util.Locale.ROOT, " %s_error_pct=%.2f", alg, error)), last);
            if (alg.equals("inner")) {
                assertTrue(low >= Long.parseLong(row[PiumaCommand.COLUMNS.indexOf("cycles_min")]), "above the floor");
            }
        }
    }

    @Test
    void rmatRunWritesCsvsAndEndsWithTheSummaryLine() throws Exception {
        Path dir = tmp.resolve("out");
        CliRun.Result r = CliRun.run("piuma", "--rmat", "8,8", "--algo", "smash-v3", "--check", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.lastLine().matches("piuma: algo=smash-v3 cycles=\\d+ speedup_vs_inner=\\d+\\.\\d\\d"
                + " speedup_vs_outer=\\d+\\.\\d\\d wall_s=\\d+\\.\\d energy_pJ=\\d+ inner_sampled_fraction=1"
                + " outer_sampled_fraction=1 inner_cycles_min=\\d+ speedup_vs_inner_min=\\d+\\.\\d\\d"
                + " inner_error_pct=0\\.00 outer_error_pct=0\\.00"), r.lastLine());
        // the inner product ran whole here: its cycles are at least the bound, which the CSV repeats
        long innerMin = Long.parseLong(r.lastLine().replaceAll(".*inner_cycles_min=(\\d+).*", "$1"));
        String[] innerChip = Files.readAllLines(dir.resolve("piuma_inner.csv")).get(1).split(",", -1);
        assertEquals(innerMin, Long.parseLong(innerChip[PiumaCommand.COLUMNS.indexOf("cycles_min")]));
        long innerCycles = Long.parseLong(innerChip[PiumaCommand.COLUMNS.indexOf("cycles")]);
        assertTrue(innerMin > 0 && innerMin <= innerCycles, innerMin + " vs " + innerCycles);
        // a whole run: no error, both ends of the bracket the cycles
        assertEquals(String.valueOf(innerCycles), innerChip[PiumaCommand.COLUMNS.indexOf("cycles_low")]);
        assertEquals(String.valueOf(innerCycles), innerChip[PiumaCommand.COLUMNS.indexOf("cycles_high")]);
        assertEquals(0.0, Double.parseDouble(innerChip[PiumaCommand.COLUMNS.indexOf("error_pct")]));
        assertTrue(r.out().contains("check: smash-v3 equals the reference"), r.out());
        for (String algo : List.of("inner", "outer", "smash-v3")) {
            List<String> csv = Files.readAllLines(dir.resolve("piuma_" + algo + ".csv"));
            assertEquals(String.join(",", PiumaCommand.COLUMNS), csv.get(0));
            assertEquals(1 + 1 + 8, csv.size(), "header, chip row, 8 core rows");
            assertTrue(csv.get(1).startsWith(algo + ",chip,rmat-8-8,rmat-8-8,256,256,256,"), csv.get(1));
        }
        String cycles = r.lastLine().replaceAll(".*cycles=(\\d+).*", "$1");
        String chip = Files.readAllLines(dir.resolve("piuma_smash-v3.csv")).get(1);
        assertEquals(cycles, chip.split(",")[PiumaCommand.COLUMNS.indexOf("cycles")]);
        double energy = Double.parseDouble(chip.split(",")[PiumaCommand.COLUMNS.indexOf("energy_pJ")]);
        assertEquals(energy, Double.parseDouble(r.lastLine().replaceAll(".*energy_pJ=(\\d+).*", "$1")), 1e-5 * energy + 1);
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void anEnergyTableFileOverridesEntriesAndABadOneIsOneLine() throws Exception {
        Path table = tmp.resolve("energy.txt");
        // DRAM at 325 pJ/B, twice the default 162.5: the DRAM component doubles, the others stay
        Files.writeString(table, "# twice Horowitz's DRAM\ndram_pJ_per_byte = 325\n");
        CliRun.Result a = CliRun.run("piuma", "--rmat", "7,8", "--algo", "smash-v3", "--out", tmp.resolve("a").toString());
        CliRun.Result b = CliRun.run("piuma", "--rmat", "7,8", "--algo", "smash-v3", "--energy-table", table.toString(),
                "--out", tmp.resolve("b").toString());
        assertEquals(0, a.exit(), a.err());
        assertEquals(0, b.exit(), b.err());
        String[] ra = Files.readAllLines(tmp.resolve("a").resolve("piuma_smash-v3.csv")).get(1).split(",");
        String[] rb = Files.readAllLines(tmp.resolve("b").resolve("piuma_smash-v3.csv")).get(1).split(",");
        int dram = PiumaCommand.COLUMNS.indexOf("dram_energy_pJ");
        int fp = PiumaCommand.COLUMNS.indexOf("fp_energy_pJ");
        assertEquals(2 * Double.parseDouble(ra[dram]), Double.parseDouble(rb[dram]), 1e-5 * Double.parseDouble(rb[dram]));
        assertEquals(ra[fp], rb[fp]);

        Files.writeString(table, "dram_pJ_per_byte = 325\nfoo = 1\n");
        Path out = tmp.resolve("c");
        CliRun.Result c = CliRun.run("piuma", "--rmat", "7,8", "--energy-table", table.toString(), "--out", out.toString());
        assertEquals(2, c.exit());
        assertEquals(1, c.err().strip().lines().count(), c.err());
        assertTrue(c.err().contains(table + ":2: foo: unknown key; allowed: mac_int8_int32_pJ"), c.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void baselinesHaveTheirOwnBudgetAndSideBySideRunsEqualOneAtATime() throws Exception {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        CliRun.Result r1 = CliRun.run("piuma", "--rmat", "9,8", "--algo", "smash-v3", "--max-ops", "0",
                "--baseline-max-ops", "20000", "--jobs", "1", "--out", one.toString());
        CliRun.Result r2 = CliRun.run("piuma", "--rmat", "9,8", "--algo", "smash-v3", "--max-ops", "0",
                "--baseline-max-ops", "20000", "--jobs", "3", "--out", two.toString());
        assertEquals(0, r1.exit(), r1.err());
        assertEquals(0, r2.exit(), r2.err());
        int fraction = PiumaCommand.COLUMNS.indexOf("sampled_fraction");
        // V3 ran whole (--max-ops 0); the baselines were sampled to their budget
        assertEquals("1", Files.readAllLines(one.resolve("piuma_smash-v3.csv")).get(1).split(",")[fraction]);
        for (String base : List.of("inner", "outer")) {
            double f = Double.parseDouble(Files.readAllLines(one.resolve("piuma_" + base + ".csv")).get(1)
                    .split(",")[fraction]);
            assertTrue(f < 1, base + " sampled, fraction " + f);
        }
        // running side by side changes nothing but the wall-time columns
        int wall = PiumaCommand.COLUMNS.indexOf("wall_s");
        for (String algo : List.of("inner", "outer", "smash-v3")) {
            List<String> a = Files.readAllLines(one.resolve("piuma_" + algo + ".csv"));
            List<String> b = Files.readAllLines(two.resolve("piuma_" + algo + ".csv"));
            assertEquals(a.size(), b.size());
            for (int k = 0; k < a.size(); k++) {
                String[] x = a.get(k).split(",", -1);
                String[] y = b.get(k).split(",", -1);
                for (int c = 0; c < x.length; c++) {
                    if (k == 0 || c < wall) {
                        assertEquals(x[c], y[c], algo + " row " + k + " column " + PiumaCommand.COLUMNS.get(c));
                    }
                }
            }
        }
        assertEquals(r1.lastLine().replaceAll(" wall_s=.*", ""), r2.lastLine().replaceAll(" wall_s=.*", ""));
    }

    @Test
    void badBudgetsAndJobsAreUsageErrors() {
        CliRun.Result r = CliRun.run("piuma", "--rmat", "4,4", "--baseline-max-ops", "-1");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--baseline-max-ops = -1.0 is out of range; allowed 0 (never sample) or more"),
                r.err());
        r = CliRun.run("piuma", "--rmat", "4,4", "--jobs", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--jobs = 0 is out of range; allowed 1 .. 256"), r.err());
    }

    @Test
    void malformedMatrixMarketFileNamesFileAndLineWithExitCode2() throws Exception {
        Path bad = tmp.resolve("bad.mtx");
        Files.writeString(bad, "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.0\n2 9 1.0\n");
        CliRun.Result r = CliRun.run("piuma", "--matrix", bad.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(bad + ":4: column index 9 is out of range; allowed 1 .. 3"), r.err());
        assertTrue(Files.notExists(tmp.resolve("o")), "nothing written on bad input");
    }

    @Test
    void nonNumericValueIsAUsageError() throws Exception {
        Path bad = tmp.resolve("nan.mtx");
        Files.writeString(bad, "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 x\n");
        CliRun.Result r = CliRun.run("piuma", "--matrix", bad.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(bad + ":3: value 'x' is not a finite real number"), r.err());
    }

    @Test
    void exactlyOneSourceOfA() {
        CliRun.Result r = CliRun.run("piuma", "--rmat", "4,4", "--matrix", "x.mtx");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("exactly one of --matrix A.mtx or --rmat SCALE,EDGEFACTOR"), r.err());
        assertEquals(2, CliRun.run("piuma").exit());
    }

    @Test
    void unknownAlgorithmListsTheAllowedOnes() {
        CliRun.Result r = CliRun.run("piuma", "--rmat", "4,4", "--algo", "hash");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown algorithm 'hash'; allowed: inner, outer, gustavson, smash-v1, smash-v2,"
                + " smash-v3, all"), r.err());
    }

    @Test
    void malformedRmatAndMismatchedShapesAreUsageErrors() throws Exception {
        CliRun.Result r = CliRun.run("piuma", "--rmat", "12");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--rmat '12' is malformed; write SCALE,EDGEFACTOR"), r.err());
        Path b = tmp.resolve("b.mtx");
        Files.writeString(b, "%%MatrixMarket matrix coordinate pattern general\n5 5 1\n1 1\n");
        r = CliRun.run("piuma", "--rmat", "3,2", "--b", b.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("A's columns must equal B's rows"), r.err());
    }
}
