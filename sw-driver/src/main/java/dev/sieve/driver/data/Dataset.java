package dev.sieve.driver.data;

import dev.sieve.io.InputException;
import java.nio.file.Path;

/**
 * Images and labels: {@code n} images of {@code rows x cols} unsigned bytes and their labels 0..9.
 * Pixels are fed as {@code (v/255 - MEAN) / STD} (Fashion-MNIST's training statistics).
 */
public record Dataset(int n, int rows, int cols, byte[] pixels, int[] labels) {
    public static final float MEAN = 0.2860f;
    public static final float STD = 0.3530f;
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String INSTALL_HINT = "install Fashion-MNIST with 'sudo scripts/install-tools' or "
            + "'sudo apt-get install dataset-fashion-mnist' (or pass --data DIR)";

    /** Loads {@code prefix}-images-idx3-ubyte.gz and {@code prefix}-labels-idx1-ubyte.gz from {@code dir}. */
    public static Dataset load(Path dir, String prefix) {
        Path imgFile = dir.resolve(prefix + "-images-idx3-ubyte.gz");
        Path lblFile = dir.resolve(prefix + "-labels-idx1-ubyte.gz");
        Idx.Data img = Idx.read(imgFile, Idx.IMAGES_MAGIC, INSTALL_HINT);
        Idx.Data lbl = Idx.read(lblFile, Idx.LABELS_MAGIC, INSTALL_HINT);
        if (img.dims()[1] != 28 || img.dims()[2] != 28) {
            throw new InputException(imgFile, 0, "image size", img.dims()[1] + "x" + img.dims()[2]
                    + " is not allowed; allowed 28x28");
        }
        if (img.dims()[0] != lbl.dims()[0]) {
            throw new InputException(lblFile, 0, "count", lbl.dims()[0] + " labels for " + img.dims()[0]
                    + " images in " + imgFile.getFileName());
        }
        int[] labels = new int[lbl.dims()[0]];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = lbl.values()[i] & 0xFF;
            if (labels[i] > 9) {
                throw new InputException(lblFile, 0, "label " + i, labels[i] + " is not allowed; allowed 0 .. 9");
            }
        }
        return new Dataset(labels.length, 28, 28, img.values(), labels);
    }

    /** The first {@code count} samples (all when count >= n). */
    public Dataset head(int count) {
        if (count >= n) {
            return this;
        }
        int[] l = java.util.Arrays.copyOf(labels, count);
        byte[] p = java.util.Arrays.copyOf(pixels, count * rows * cols);
        return new Dataset(count, rows, cols, p, l);
    }

    /** Writes images {@code order[from .. from+b)} normalized into {@code out} as {@code [1][b][rows][cols]}. */
    public void batch(int[] order, int from, int b, float[] out, int[] labelsOut) {
        int px = rows * cols;
        for (int i = 0; i < b; i++) {
            int s = order[from + i];
            labelsOut[i] = labels[s];
            for (int q = 0; q < px; q++) {
                out[i * px + q] = ((pixels[s * px + q] & 0xFF) / 255f - MEAN) / STD;
            }
        }
    }
}
