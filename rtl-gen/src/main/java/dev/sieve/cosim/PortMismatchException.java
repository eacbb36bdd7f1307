package dev.sieve.cosim;

import java.util.List;

/** A Java model's ports do not match its RTL (names, widths or directions); raised before any cycle runs. */
public final class PortMismatchException extends IllegalArgumentException {
    private final List<String> problems;

    public PortMismatchException(String subject, List<String> problems) {
        super(subject + ": " + problems.size() + " port mismatch(es):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
