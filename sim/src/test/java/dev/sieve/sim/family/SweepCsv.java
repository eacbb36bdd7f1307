package dev.sieve.sim.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.sim.cli.Simulate;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine;

/**
 * Test helpers: read a report CSV by column name; run a command and keep its one-line error; check
 * that a sweep fails with one.
 */
public final class SweepCsv {
    private SweepCsv() {
    }

    /** The records of {@code file}, read with its header. */
    public static List<CSVRecord> read(Path file) throws Exception {
        try (Reader in = Files.newBufferedReader(file);
             CSVParser p = CSVParser.parse(in, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return p.getRecords();
        }
    }

    /** Runs {@code simulate ARGS}; returns the exit code and what it printed on stderr. */
    public static Object[] run(String... args) throws Exception {
        java.lang.reflect.Method m = Simulate.class.getDeclaredMethod("commandLine");
        m.setAccessible(true);
        CommandLine cli = (CommandLine) m.invoke(null);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int exit = cli.execute(args);
        return new Object[] {exit, err.toString(StandardCharsets.UTF_8)};
    }

    /**
     * Runs {@code simulate sweep SPEC --out OUT} and checks that it fails as bad input: exit code 2,
     * one line on stderr containing {@code expected}, and {@code out} not created.
     */
    public static void assertSweepFails(Path spec, Path out, String expected) throws Exception {
        Object[] r = run("sweep", spec.toString(), "--out", out.toString());
        String err = (String) r[1];
        assertEquals(2, r[0], err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(expected), err);
        assertFalse(Files.exists(out));
    }
}
