package dev.sieve.driver.data;

import dev.sieve.io.InputException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

    /** Reads {@code file}, which must carry {@code magic}; {@code missingHint} ends the message of a missing file. */
    public static Data read(Path file, int magic, String missingHint) {
        byte[] raw;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
            in.transferTo(bytes);
            raw = bytes.toByteArray();
        } catch (NoSuchFileException e) {
            throw new InputException(file, 0, null, "file not found; " + missingHint);
        } catch (ZipException | EOFException e) {
            throw new InputException(file, 0, null, "not a complete gzip file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InputException(file, 0, null, "cannot read: " + e.getMessage());
        }
        if (raw.length < 4) {
            throw new InputException(file, 0, "magic", "file is " + raw.length + " bytes, shorter than the IDX header");
        }
        int got = readInt(raw, 0);
        if (got != magic) {
            throw new InputException(file, 0, "magic", String.format("0x%08X is not allowed; allowed 0x%08X", got, magic));
        }
        int nd = magic & 0xFF;
        int header = 4 + 4 * nd;
        if (raw.length < header) {
            throw new InputException(file, 0, "dimensions", "file ends inside the header (" + raw.length + " bytes)");
        }
        int[] dims = new int[nd];
        long count = 1;
        for (int i = 0; i < nd; i++) {
            dims[i] = readInt(raw, 4 + 4 * i);
            if (dims[i] <= 0) {
                throw new InputException(file, 0, "dimension " + i, dims[i] + " is not allowed; allowed >= 1");
            }
            count *= dims[i];
        }
        if (raw.length - header != count) {
            throw new InputException(file, 0, "size", "header says " + count + " data bytes, file has "
                    + (raw.length - header));
        }
        byte[] values = new byte[(int) count];
        System.arraycopy(raw, header, values, 0, values.length);
        return new Data(dims, values);
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
