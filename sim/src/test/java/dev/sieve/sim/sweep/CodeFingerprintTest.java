package dev.sieve.sim.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code fingerprint in saved points' keys follows the classes' bytes, nothing else. */
class CodeFingerprintTest {
    @TempDir
    Path dir;

    private Path folder(String name, byte[] model) throws IOException {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve("dev/sieve/sim"));
        Files.write(root.resolve("dev/sieve/sim/Model.class"), model);
        Files.write(root.resolve("dev/sieve/sim/Other.class"), new byte[] {1, 2, 3});
        Files.writeString(root.resolve("dev/sieve/sim/notes.txt"), name); // not code: not hashed
        return root;
    }

    private Path jar(String name, byte[] model, long time) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
            for (String entry : List.of("dev/sieve/sim/Other.class", "dev/sieve/sim/Model.class")) {
                JarEntry e = new JarEntry(entry);
                e.setLastModifiedTime(FileTime.fromMillis(time));
                jar.putNextEntry(e);
                jar.write(entry.endsWith("Model.class") ? model : new byte[] {1, 2, 3});
                jar.closeEntry();
            }
            JarEntry other = new JarEntry("org/other/Lib.class"); // another library: not hashed
            jar.putNextEntry(other);
            jar.write(name.getBytes());
            jar.closeEntry();
        }
        return file;
    }

    @Test
    void sameClassesGiveTheSameFingerprintWhereverTheyAre() throws IOException {
        byte[] model = {9, 8, 7};
        String a = CodeFingerprint.ofLocations(List.of(folder("a", model)));
        assertEquals(16, a.length());
        assertEquals(a, CodeFingerprint.ofLocations(List.of(folder("b", model))));
        // a jar of the same classes, built at another time, in another entry order, beside another library
        assertEquals(a, CodeFingerprint.ofLocations(List.of(jar("x.jar", model, 0))));
        assertEquals(a, CodeFingerprint.ofLocations(List.of(jar("y.jar", model, 1_700_000_000_000L))));
    }

    @Test
    void changedClassBytesChangeTheFingerprint() throws IOException {
        String before = CodeFingerprint.ofLocations(List.of(folder("a", new byte[] {9, 8, 7})));
        String after = CodeFingerprint.ofLocations(List.of(folder("b", new byte[] {9, 8, 6})));
        assertNotEquals(before, after);
        assertNotEquals(before, CodeFingerprint.ofLocations(List.of(jar("z.jar", new byte[] {9, 8, 6}, 0))));
    }

    @Test
    void theRunningCodeHasAFingerprint() {
        String f = CodeFingerprint.of(SweepRunner.class, CodeFingerprint.class);
        assertEquals(f, CodeFingerprint.of(CodeFingerprint.class, SweepRunner.class));
        assertEquals(16, f.length());
    }
}
