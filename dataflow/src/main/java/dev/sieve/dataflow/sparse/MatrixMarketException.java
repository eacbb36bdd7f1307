package dev.sieve.dataflow.sparse;

import java.nio.file.Path;

/**
 * A malformed Matrix Market file: the message starts with {@code file:line:} (or {@code file:}
 * when the problem is the whole file, such as a missing one).
 */
public final class MatrixMarketException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final int line;

    public MatrixMarketException(Path file, int line, String problem) {
        super(line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** One-based line of the offending line (the line after the last one at end of file); 0 for the whole file. */
    public int line() {
        return line;
    }
}
