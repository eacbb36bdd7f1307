package dev.sieve.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @Test
    void numbersHaveOneFormat() {
        assertEquals("42", ReportWriter.format(42L));
        assertEquals("3", ReportWriter.format(3.0));             // integral doubles print as integers
        assertEquals("2.03125", ReportWriter.format(2.03125));   // exact within 6 significant digits
        assertEquals("0.333333", ReportWriter.format(1.0 / 3));  // 6 significant digits, half-even
        assertEquals("1234567", ReportWriter.format(1234567.4)); // never rounded inside the integer part
        assertEquals("5423218", ReportWriter.format(5423217.6));
        assertEquals("123457", ReportWriter.format(123456.7));
        assertEquals("12345.7", ReportWriter.format(12345.67));
        assertEquals("0.000123457", ReportWriter.format(1.234567e-4));
        assertEquals("-0.5", ReportWriter.format(-0.5));
        assertEquals("NaN", ReportWriter.format(Double.NaN));
        assertEquals("inf", ReportWriter.format(Double.POSITIVE_INFINITY));
        assertEquals("", ReportWriter.format(null));
        assertEquals("a,b", ReportWriter.format("a,b"));
    }

    @Test
    void theTableAppearsWholeOnClose(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("r.csv");
        try (ReportWriter w = ReportWriter.open(t, List.of("layer", "cycles", "energy_pJ"))) {
            w.row("conv1", 10L, 0.25);
            assertFalse(Files.exists(t), "nothing is visible before close");
            w.row("a,b", 11L, null);
        }
        assertEquals("layer,cycles,energy_pJ\nconv1,10,0.25\n\"a,b\",11,\n", Files.readString(t));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(t), files.toList(), "no temporary file is left");
        }
    }

    @Test
    void abortAndBadRowsLeaveTheOldTable(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("r.csv");
        ReportWriter.write(t, List.of("x"), List.of(List.of(1L)));
        ReportWriter w = ReportWriter.open(t, List.of("x", "y"));
        assertThrows(IllegalArgumentException.class, () -> w.row(1L));
        w.abort();
        assertEquals("x\n1\n", Files.readString(t));
        try (var files = Files.list(dir)) {
            assertTrue(files.allMatch(t::equals));
        }
        assertEquals(List.of("x"), Arrays.asList(Files.readString(t).split("\n")[0]));
    }

    @Test
    void aFailingRowSourceLeavesTheOldTable(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("r.csv");
        ReportWriter.write(t, List.of("x"), List.of(List.of(1L)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReportWriter.stream(t, List.of("x"), w -> {
            w.row(2L);
            throw new IllegalStateException("the model failed half-way");
        }));
        assertEquals("the model failed half-way", e.getMessage());
        assertEquals("x\n1\n", Files.readString(t));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(t), files.toList(), "no temporary file is left");
        }
    }
}
