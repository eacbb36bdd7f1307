package dev.sieve.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
