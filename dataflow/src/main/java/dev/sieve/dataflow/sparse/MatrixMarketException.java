package dev.sieve.dataflow.sparse;

import java.nio.file.Path;

/** A malformed Matrix Market file: the message starts with {@code file:line:}. */
public final class MatrixMarketException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final int line;

    public MatrixMarketException(Path file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** One-based line number of the offending line (the line after the last one at end of file). */
    public int line() {
        return line;
    }
}
