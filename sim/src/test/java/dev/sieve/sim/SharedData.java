package dev.sieve.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The public data of the validation group ({@code ../shared/data}, or {@code -Dsieve.shared.dir}):
 * one place that finds it, for every test that reads it. A missing file fails the test with the
 * path it looked for; it never skips.
 */
public final class SharedData {
    private SharedData() {
    }

    /** {@code data/<sub>} under the shared folder. */
    public static Path dir(String sub) {
        String shared = System.getProperty("sieve.shared.dir");
        Path base = shared != null && !shared.isBlank() ? Path.of(shared)
                : Path.of("").toAbsolutePath().getParent().resolve("../shared");
        Path dir = base.resolve("data").resolve(sub).normalize();
        assertTrue(Files.isDirectory(dir), "validation data missing: " + dir + " (set -Dsieve.shared.dir)");
        return dir;
    }

    /** A SuiteSparse matrix of {@code data/matrices}, by file name. */
    public static Path matrix(String name) {
        Path m = dir("matrices").resolve(name);
        assertTrue(Files.exists(m), "missing " + m + " (set -Dsieve.shared.dir)");
        return m;
    }
}
