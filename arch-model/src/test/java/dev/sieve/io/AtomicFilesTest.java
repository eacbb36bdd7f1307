package dev.sieve.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void replacesTheFileAndLeavesNoTemporaryBehind(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sub").resolve("a.csv");
        AtomicFiles.writeString(f, "first");
        AtomicFiles.writeString(f, "second");
        assertEquals("second", Files.readString(f));
        try (var s = Files.list(f.getParent())) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void streamedTextAppearsWholeOrNotAtAll(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.mtx");
        AtomicFiles.writeText(f, w -> w.write("old\n"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeText(f, w -> {
            w.write("new, but only half");
            throw new IOException("disk full");
        }));
        assertEquals("could not write " + f, e.getMessage());
        assertEquals("old\n", Files.readString(f));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file is left");
        }
    }
}
