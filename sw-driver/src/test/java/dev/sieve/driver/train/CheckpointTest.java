package dev.sieve.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.io.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    private static Checkpoint sample() {
        return new Checkpoint(new Checkpoint.Settings("cnn", "2:8", "DENSE", 1, 64, 3, 0.05f, 0.9f, 5e-4f, 2e-4f, 100, 0), 2,
                List.of("1,0.5", "2,0.4"), List.of(new Checkpoint.Tensor("w", new float[] {1, -0f, Float.NaN},
                        new float[] {0.5f, 0, 2})));
    }

    @Test
    void roundTripsBitForBit() {
        Path f = dir.resolve("c.bin");
        sample().write(f);
        Checkpoint c = Checkpoint.read(f);
        assertEquals(sample().settings(), c.settings());
        assertEquals(2, c.epochsDone());
        assertEquals(List.of("1,0.5", "2,0.4"), c.csvRows());
        assertArrayEquals(bits(sample().params().get(0).value()), bits(c.params().get(0).value()));
    }

    @Test
    void aFlippedByteIsRefused() throws IOException {
        Path f = dir.resolve("c.bin");
        sample().write(f);
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 1;
        Files.write(f, b);
        InputException e = assertThrows(InputException.class, () -> Checkpoint.read(f));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        Path f = dir.resolve("c.bin");
        sample().write(f);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 10));
        assertThrows(InputException.class, () -> Checkpoint.read(f));
    }

    private static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }
}
