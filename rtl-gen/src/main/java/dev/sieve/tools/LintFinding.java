package dev.sieve.tools;

import java.util.Objects;

/**
 * One message from {@code verilator --lint-only}: its severity, Verilator's warning code
 * ({@code WIDTH}, {@code UNUSEDSIGNAL}, ...; empty for plain {@code %Error:} lines), where it
 * points and what it says. {@code file} is null and {@code line}/{@code column} are 0 when the
 * message names no source location (a missing module, a bad option).
 */
public record LintFinding(Severity severity, String code, String file, int line, int column, String message) {

    /** Verilator's two message levels that matter for a lint gate. */
    public enum Severity {
        WARNING, ERROR
    }

    public LintFinding {
        Objects.requireNonNull(severity, "severity");
        code = code == null ? "" : code;
        Objects.requireNonNull(message, "message");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0, got " + line + ":" + column);
        }
    }

    /** True when this finding carries a source location. */
    public boolean hasLocation() {
        return file != null;
    }

    /**
     * Whether Verilator's code is {@code family} or one of its 5.x refinements: {@code "UNUSED"}
     * matches {@code UNUSEDSIGNAL}, {@code UNUSEDPARAM} and {@code UNUSEDGENVAR}.
     */
    public boolean isIn(String family) {
        return code.startsWith(family);
    }

    /** {@code file:line:col: %Warning-CODE: message}, the form editors and CI logs link to. */
    public String format() {
        StringBuilder b = new StringBuilder();
        if (hasLocation()) {
            b.append(file).append(':').append(line).append(':');
            if (column > 0) {
                b.append(column).append(':');
            }
            b.append(' ');
        }
        b.append(severity == Severity.WARNING ? "%Warning" : "%Error");
        if (!code.isEmpty()) {
            b.append('-').append(code);
        }
        return b.append(": ").append(message).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
