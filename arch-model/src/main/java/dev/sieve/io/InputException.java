package dev.sieve.io;

import java.nio.file.Path;

/**
 * Bad user input found in a file: the message names the file, the line (1-based, 0 when the
 * whole file is meant), the field and what is allowed, in the form
 * {@code file:line: field: problem; allowed ...}. Command lines turn it into exit code 2.
 */
public class InputException extends RuntimeException {
    private final Path file;
    private final int line;
    private final String field;

    public InputException(Path file, int line, String field, String problem) {
        super(format(file, line, field, problem));
        this.file = file;
        this.line = line;
        this.field = field;
    }

    private static String format(Path file, int line, String field, String problem) {
        StringBuilder b = new StringBuilder();
        b.append(file == null ? "<input>" : file.toString());
        if (line > 0) {
            b.append(':').append(line);
        }
        b.append(": ");
        if (field != null && !field.isEmpty()) {
            b.append(field).append(": ");
        }
        return b.append(problem).toString();
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }
}
