package dev.sieve.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.io.InputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class IdxTest {
    @TempDir
    Path dir;

    static void gz(Path file, byte[] bytes) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
            o.write(bytes);
        }
    }

    /** Writes a tiny Fashion-MNIST-shaped pair of files: n images whose pixels encode their label. */
    public static void writeSet(Path dir, String prefix, int n, long seed) throws IOException {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        byte[] px = new byte[n * 784];
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) {
            int y = rng.nextInt(10);
            lb[i] = (byte) y;
            for (int q = 0; q < 784; q++) {
                int v = (q / 78 == y ? 200 : 20) + rng.nextInt(40);
                px[i * 784 + q] = (byte) v;
            }
        }
        gz(dir.resolve(prefix + "-images-idx3-ubyte.gz"), Idx.encode(Idx.IMAGES_MAGIC, new int[] {n, 28, 28}, px));
        gz(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), Idx.encode(Idx.LABELS_MAGIC, new int[] {n}, lb));
    }

    @Test
    void readsImagesAndLabels() throws IOException {
        writeSet(dir, "train", 5, 1);
        Dataset d = Dataset.load(dir, "train");
        assertEquals(5, d.n());
        assertEquals(5 * 784, d.pixels().length);
    }

    @Test
    void rejectsAWrongMagicNumber() throws IOException {
        Path f = dir.resolve("x.gz");
        gz(f, Idx.encode(0x0000_0802, new int[] {2, 1}, new byte[2]));
        InputException e = assertThrows(InputException.class, () -> Idx.read(f, Idx.IMAGES_MAGIC, "hint"));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void rejectsAFileShorterThanItsHeaderSays() throws IOException {
        Path f = dir.resolve("x.gz");
        gz(f, Idx.encode(Idx.IMAGES_MAGIC, new int[] {3, 28, 28}, new byte[2 * 784]));
        InputException e = assertThrows(InputException.class, () -> Idx.read(f, Idx.IMAGES_MAGIC, "hint"));
        assertTrue(e.getMessage().contains("header says 2352 data bytes, file has 1568"), e.getMessage());
    }

    @Test
    void rejectsLabelAndImageCountsThatDiffer() throws IOException {
        writeSet(dir, "train", 4, 1);
        gz(dir.resolve("train-labels-idx1-ubyte.gz"), Idx.encode(Idx.LABELS_MAGIC, new int[] {3}, new byte[3]));
        InputException e = assertThrows(InputException.class, () -> Dataset.load(dir, "train"));
        assertTrue(e.getMessage().contains("3 labels for 4 images"), e.getMessage());
    }

    @Test
    void rejectsAFileThatIsNotGzip() throws IOException {
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), new byte[] {1, 2, 3});
        InputException e = assertThrows(InputException.class, () -> Dataset.load(dir, "t10k"));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void aMissingFileNamesTheInstallCommand() {
        InputException e = assertThrows(InputException.class, () -> Dataset.load(dir, "train"));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("scripts/install-tools"), e.getMessage());
    }

    @Test
    void encodesBigEndianHeaders() {
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 1, 2, 9}, Idx.encode(Idx.LABELS_MAGIC, new int[] {258}, new byte[] {9}));
    }
}
