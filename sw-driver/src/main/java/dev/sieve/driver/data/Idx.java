package dev.sieve.driver.data;

import dev.sieve.io.InputException;
import dev.sieve.io.InputFiles;
import dev.sieve.io.Sizes;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * IDX files of unsigned bytes (gzip-compressed): magic {@code 0x00000801} (labels, 1 dimension) or
 * {@code 0x00000803} (images, 3 dimensions), big-endian dimension sizes, then the data, nothing after.
 */
public final class Idx {
    private Idx() {
    }

    /** A parsed file: its dimension sizes and its bytes. */
    public record Data(int[] dims, byte[] values) {
    }

    public static final int LABELS_MAGIC = 0x0000_0801;
    public static final int IMAGES_MAGIC = 0x0000_0803;

    /**
     * Reads {@code file}, which must carry {@code magic}; {@code missingHint} ends the message of a
     * missing file. The header is read first and the count it declares is checked against the heap
     * before the data is inflated, and inflating stops one byte past it, so a file that declares or
     * unpacks to more than the run can hold is refused without running out of memory.
     */
    public static Data read(Path file, int magic, String missingHint) {
        if (!Files.exists(file)) {
            throw new InputException(file, 0, null, "file not found; " + missingHint);
        }
        try (InputStream in = new GZIPInputStream(InputFiles.openBytes(file), 1 << 16)) {
            int nd = magic & 0xFF;
            byte[] head = in.readNBytes(4 + 4 * nd);
            if (head.length < 4) {
                throw new InputException(file, 0, "magic", "file is " + head.length
                        + " bytes, shorter than the IDX header");
            }
            int got = readInt(head, 0);
            if (got != magic) {
                throw new InputException(file, 0, "magic", String.format("0x%08X is not allowed; allowed 0x%08X", got,
                        magic));
            }
            if (head.length < 4 + 4 * nd) {
                throw new InputException(file, 0, "dimensions", "file ends inside the header (" + head.length
                        + " bytes)");
            }
            int[] dims = new int[nd];
            long count = 1;
            for (int i = 0; i < nd; i++) {
                dims[i] = readInt(head, 4 + 4 * i);
                if (dims[i] <= 0) {
                    throw new InputException(file, 0, "dimension " + i, dims[i] + " is not allowed; allowed >= 1");
                }
                count = Sizes.product(file, 0, "size", Sizes.MAX_ARRAY, count, dims[i]);
            }
            int n = Sizes.requireHeap(file, 0, "size", count, 1);
            byte[] values = in.readNBytes(n);
            if (values.length != n) {
                throw new InputException(file, 0, "size", "header says " + count + " data bytes, file has "
                        + values.length);
            }
            if (in.read() >= 0) {
                throw new InputException(file, 0, "size", "header says " + count
                        + " data bytes, file has more; allowed: nothing after the data");
            }
            return new Data(dims, values);
        } catch (ZipException | EOFException e) {
            throw new InputException(file, 0, null, "not a complete gzip file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InputException(file, 0, null, "cannot read: " + e.getMessage());
        }
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    /** An IDX file's bytes (uncompressed): for tests and tools. */
    public static byte[] encode(int magic, int[] dims, byte[] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, magic);
        for (int d : dims) {
            writeInt(out, d);
        }
        out.writeBytes(values);
        return out.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
