package dev.sieve.dataflow.workload;

/** A malformed topology: names the file, the 1-based line and the field that is wrong. */
public final class TopologyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String field;

    public TopologyException(String file, int line, String field, String problem) {
        super(file + ":" + line + ": field '" + field + "': " + problem);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }
}
