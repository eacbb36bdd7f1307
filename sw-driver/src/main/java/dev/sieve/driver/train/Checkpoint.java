package dev.sieve.driver.train;

import dev.sieve.io.AtomicFiles;
import dev.sieve.io.InputException;
import dev.sieve.io.InputFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A training checkpoint: the run's settings, epochs done, the CSV rows so far, and every parameter's
 * values and momentum. On disk: {@code SIEVECKP}, a version, the payload, and the SHA-256 of
 * everything before it. {@link #read} checks the length and the checksum and parses the whole file
 * before it returns anything, so a corrupt or truncated file is refused, never half-loaded.
 */
public record Checkpoint(Settings settings, int epochsDone, List<String> csvRows, List<Tensor> params) {

    private static final byte[] MAGIC = "SIEVECKP".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** 2: settings end with the warm-up steps; version 1 files (no warm-up existed) are read as warm-up 0. */
    private static final int VERSION = 2;

    /** Largest checkpoint read (1 GiB; the CNN's is about 1 MB): checked before the file is read. */
    public static final long MAX_BYTES = 1L << 30;

    /** What must match for a resume to continue the same run. */
    public record Settings(String model, String nm, String backwardMask, long seed, int batch, int epochs, float lr,
                           float momentum, float weightDecay, float srsteLambda, int trainImages, int warmupSteps) {
    }

    /** One parameter: name, values, momentum. */
    public record Tensor(String name, float[] value, float[] momentum) {
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(VERSION);
            Settings s = settings;
            out.writeUTF(s.model());
            out.writeUTF(s.nm());
            out.writeUTF(s.backwardMask());
            out.writeLong(s.seed());
            out.writeInt(s.batch());
            out.writeInt(s.epochs());
            out.writeFloat(s.lr());
            out.writeFloat(s.momentum());
            out.writeFloat(s.weightDecay());
            out.writeFloat(s.srsteLambda());
            out.writeInt(s.trainImages());
            out.writeInt(s.warmupSteps());
            out.writeInt(epochsDone);
            out.writeInt(csvRows.size());
            for (String r : csvRows) {
                out.writeUTF(r);
            }
            out.writeInt(params.size());
            for (Tensor t : params) {
                out.writeUTF(t.name());
                out.writeInt(t.value().length);
                for (float v : t.value()) {
                    out.writeInt(Float.floatToRawIntBits(v));
                }
                for (float v : t.momentum()) {
                    out.writeInt(Float.floatToRawIntBits(v));
                }
            }
            out.flush();
            byte[] body = bytes.toByteArray();
            byte[] digest = sha256(body, body.length);
            byte[] all = Arrays.copyOf(body, body.length + digest.length);
            System.arraycopy(digest, 0, all, body.length, digest.length);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(Path file) {
        AtomicFiles.write(file, encode());
    }

    /** Reads and verifies {@code file}; any damage is an {@link InputException} naming it. */
    public static Checkpoint read(Path file) {
        if (!Files.exists(file)) {
            throw new InputException(file, 0, null, "checkpoint not found");
        }
        byte[] all = InputFiles.readBytes(file, MAX_BYTES);
        if (all.length < MAGIC.length + 4 + 32 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new InputException(file, 0, null, "not a Sieve checkpoint (bad magic or too short); refusing to load it");
        }
        int bodyLen = all.length - 32;
        byte[] digest = sha256(all, bodyLen);
        if (!Arrays.equals(digest, Arrays.copyOfRange(all, bodyLen, all.length))) {
            throw new InputException(file, 0, null, "checkpoint is corrupt (SHA-256 mismatch); refusing to load it");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, bodyLen))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != 1 && version != VERSION) {
                throw new InputException(file, 0, "version", version + " is not allowed; allowed 1, " + VERSION);
            }
            Settings s = new Settings(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readInt(), in.readInt(),
                    in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat(), in.readInt(),
                    version == 1 ? 0 : in.readInt());
            int done = in.readInt();
            int rows = in.readInt();
            if (rows < 0 || rows > bodyLen) {
                throw new InputException(file, 0, "rows", rows + " is impossible in a payload of " + bodyLen + " bytes");
            }
            List<String> csv = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                csv.add(in.readUTF());
            }
            int n = in.readInt();
            if (n < 0 || n > bodyLen) {
                throw new InputException(file, 0, "tensors", n + " is impossible in a payload of " + bodyLen + " bytes");
            }
            List<Tensor> ts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int len = in.readInt();
                if (len < 0 || len > bodyLen / 8) {
                    throw new InputException(file, 0, name, "length " + len + " is impossible");
                }
                float[] v = new float[len];
                float[] m = new float[len];
                for (int j = 0; j < len; j++) {
                    v[j] = Float.intBitsToFloat(in.readInt());
                }
                for (int j = 0; j < len; j++) {
                    m[j] = Float.intBitsToFloat(in.readInt());
                }
                ts.add(new Tensor(name, v, m));
            }
            if (in.available() != 0) {
                throw new InputException(file, 0, null, "checkpoint has " + in.available() + " unexpected trailing bytes");
            }
            return new Checkpoint(s, done, csv, ts);
        } catch (IOException e) {
            throw new InputException(file, 0, null, "checkpoint is truncated inside its payload; refusing to load it");
        }
    }

    private static byte[] sha256(byte[] b, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, 0, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
