package dev.sieve.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one way Sieve opens an input file. {@link #requireReadable} checks that the path names an
 * existing, readable regular file; text is UTF-8, decoded strictly (an invalid byte is an error
 * naming its line and column, never a replacement character), with an optional UTF-8 byte-order
 * mark at the start dropped and lines ending in {@code \n} or {@code \r\n}. Lines are split on the
 * byte {@code 0x0A}, which never occurs inside a multi-byte UTF-8 sequence, so line numbers are
 * exact. Every problem is an {@link InputException}; command lines turn it into one line and exit
 * code 2.
 */
public final class InputFiles {

    /** Longest line a text input may have, in bytes. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private InputFiles() {
    }

    /**
     * Fails unless {@code file} exists, is a regular file (not a folder) and can be read; returns it.
     * {@code field} (an option such as {@code --topology}, or null) names where the path came from.
     */
    public static Path requireReadable(Path file, String field) {
        if (file.toString().isEmpty()) {
            throw new InputException(file, 0, field, "the path is empty; allowed: a readable file");
        }
        if (!Files.exists(file)) {
            throw new InputException(file, 0, field, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new InputException(file, 0, field, "is a folder; allowed: a readable file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException(file, 0, field, "is not a regular file; allowed: a readable file");
        }
        if (!Files.isReadable(file)) {
            throw new InputException(file, 0, field, "cannot be read (permission denied)");
        }
        return file;
    }

    /** Opens {@code file} (checked by {@link #requireReadable}) for reading lines one at a time. */
    public static TextReader open(Path file) {
        return new TextReader(file, openBytes(file));
    }

    /** Every line of {@code file} (a file that must fit in memory: see {@link Sizes#requireHeap}). */
    public static List<String> readLines(Path file) {
        List<String> lines = new ArrayList<>();
        forEachLine(file, lines::add);
        return lines;
    }

    /** The whole text of {@code file} with {@code \n} line ends (BOM dropped, strictly decoded). */
    public static String readText(Path file) {
        StringBuilder b = new StringBuilder();
        forEachLine(file, s -> b.append(s).append('\n'));
        return b.toString();
    }

    /** The bytes of a binary {@code file}, refused before reading when larger than {@code maxBytes}. */
    public static byte[] readBytes(Path file, long maxBytes) {
        requireReadable(file, null);
        long size = size(file);
        if (size > maxBytes) {
            throw new InputException(file, 0, "size", size + " bytes is too large; allowed up to " + maxBytes);
        }
        Sizes.requireHeap(file, 0, "size", size, 1);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /** A buffered byte stream of {@code file} after {@link #requireReadable}. */
    public static InputStream openBytes(Path file) {
        requireReadable(file, null);
        return stream(file);
    }

    private static InputStream stream(Path file) {
        try {
            return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /** The size of {@code file} in bytes. */
    public static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /** Hands every line of {@code file} (a file that must fit in memory) to {@code sink}, in order. */
    private static void forEachLine(Path file, Consumer<String> sink) {
        requireReadable(file, null);
        // a line held as a String costs up to 2 bytes per byte of the file, plus the list
        Sizes.requireHeap(file, 0, "size", size(file), 4);
        try (TextReader r = new TextReader(file, stream(file))) {
            for (String s = r.next(); s != null; s = r.next()) {
                sink.accept(s);
            }
        }
    }

    static InputException cannotRead(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new InputException(file, 0, null, "no such file");
        }
        if (e instanceof AccessDeniedException) {
            return new InputException(file, 0, null, "cannot be read (permission denied)");
        }
        return new InputException(file, 0, null, "cannot be read: " + e.getMessage());
    }

    /**
     * Lines of a text file, one at a time, with their 1-based numbers; see {@link InputFiles} for
     * what is accepted.
     */
    public static final class TextReader implements AutoCloseable {
        private final Path file;
        private final InputStream in;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final byte[] chunk = new byte[1 << 16];
        private int pos;
        private int limit;
        private byte[] buf = new byte[256];
        private int line;
        private boolean eof;

        TextReader(Path file, InputStream in) {
            this.file = file;
            this.in = in;
        }

        /** The file being read. */
        public Path file() {
            return file;
        }

        /** 1-based number of the line {@link #next} returned last (0 before the first). */
        public int line() {
            return line;
        }

        /** The next line without its line end, or null at the end of the file. */
        public String next() {
            int n = 0;
            while (true) {
                if (pos == limit) {
                    if (eof || !fill()) {
                        if (n == 0) {
                            return null;
                        }
                        break;
                    }
                }
                byte b = chunk[pos++];
                if (b == '\n') {
                    break;
                }
                if (n == MAX_LINE_BYTES) {
                    throw new InputException(file, line + 1, null, "line is longer than " + MAX_LINE_BYTES
                            + " bytes; allowed up to " + MAX_LINE_BYTES);
                }
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, Math.min(2 * n, MAX_LINE_BYTES));
                }
                buf[n++] = b;
            }
            line++;
            int from = 0;
            if (line == 1 && n >= 3 && buf[0] == BOM[0] && buf[1] == BOM[1] && buf[2] == BOM[2]) {
                from = 3;
            }
            int to = n > from && buf[n - 1] == '\r' ? n - 1 : n;
            return decode(from, to);
        }

        private boolean fill() {
            try {
                int got = in.read(chunk);
                if (got <= 0) {
                    eof = true;
                    return false;
                }
                pos = 0;
                limit = got;
                return true;
            } catch (IOException e) {
                throw cannotRead(file, e);
            }
        }

        private String decode(int from, int to) {
            try {
                return decoder.reset().decode(ByteBuffer.wrap(buf, from, to - from)).toString();
            } catch (CharacterCodingException e) {
                // find the first byte that does not decode, for the column
                CharBuffer out = CharBuffer.allocate(to - from + 1);
                ByteBuffer bytes = ByteBuffer.wrap(buf, from, to - from);
                decoder.reset().decode(bytes, out, true);
                int bad = bytes.position();
                throw new InputException(file, line, null, String.format(java.util.Locale.ROOT,
                        "byte 0x%02X at column %d is not valid UTF-8; allowed: UTF-8 text",
                        buf[Math.min(bad, to - 1)] & 0xFF, bad - from + 1));
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // read-only: nothing was lost
            }
        }
    }
}
