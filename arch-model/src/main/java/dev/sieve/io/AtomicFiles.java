package dev.sieve.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Atomic file writes: readers see the old file or the whole new one, never a part. Every writer
 * writes a hidden temporary sibling of the target and renames it over the target when it is
 * complete; {@link #writeText} streams (the text is never held whole in memory), and
 * {@link ReportWriter} uses the same two steps for tables written row by row.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes text into a {@link Writer}; may throw {@link IOException}. */
    @FunctionalInterface
    public interface TextBody {
        void writeTo(Writer out) throws IOException;
    }

    /** Writes {@code text} (UTF-8) to {@code target} through a temporary sibling and a rename. */
    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code target} through a temporary sibling and a rename. */
    public static void write(Path target, byte[] bytes) {
        replace(target, tmp -> Files.write(tmp, bytes));
    }

    /**
     * Streams the text {@code body} writes (UTF-8) into a temporary sibling of {@code target} and
     * renames it over the target; if {@code body} throws, the target stays as it was.
     */
    public static void writeText(Path target, TextBody body) {
        replace(target, tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.writeTo(w);
            }
        });
    }

    /** Fills a temporary file; may throw {@link IOException}. */
    @FunctionalInterface
    private interface FileBody {
        void writeTo(Path tmp) throws IOException;
    }

    /** The two steps of every write: {@code body} fills a temporary sibling, which is renamed over {@code target}. */
    private static void replace(Path target, FileBody body) {
        Path tmp = null;
        try {
            tmp = temporarySibling(target);
            body.writeTo(tmp);
            publish(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * The hidden temporary sibling a new {@code target} is written into ({@code .NAME.PID-THREAD.tmp});
     * creates the target's folder. Unique per process and thread: {@code Files.createTempFile} would
     * seed a SecureRandom (~100 ms cold).
     */
    static Path temporarySibling(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().getId() + ".tmp");
    }

    /** Renames the complete {@code tmp} over {@code target} in one step. */
    static void publish(Path tmp, Path target) throws IOException {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the rename succeeded or the write failed; nothing more to clean
            }
        }
    }
}
