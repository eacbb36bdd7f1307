package dev.sieve.tools;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of linting one design: every finding Verilator printed, in its order, plus its raw
 * output for anything the parser did not turn into a finding. A design is {@link #clean()} only
 * with zero warnings and zero errors; {@link #orThrow()} is the gate tests and generators use.
 */
public record LintReport(String top, List<LintFinding> findings, String output) {

    public LintReport {
        Objects.requireNonNull(top, "top");
        findings = List.copyOf(findings);
        output = output == null ? "" : output;
    }

    /** True iff Verilator reported no warning and no error. */
    public boolean clean() {
        return findings.isEmpty();
    }

    public List<LintFinding> warnings() {
        return findings.stream().filter(f -> f.severity() == LintFinding.Severity.WARNING).toList();
    }

    public List<LintFinding> errors() {
        return findings.stream().filter(f -> f.severity() == LintFinding.Severity.ERROR).toList();
    }

    /** Findings whose code is {@code family} or a refinement of it (see {@link LintFinding#isIn}). */
    public List<LintFinding> withCode(String family) {
        return findings.stream().filter(f -> f.isIn(family)).toList();
    }

    /** Returns this report when clean, otherwise throws {@link LintException} listing every finding. */
    public LintReport orThrow() {
        if (!clean()) {
            throw new LintException(this);
        }
        return this;
    }

    /** One line per finding, {@code file:line:col: %Warning-CODE: message}. */
    public String format() {
        StringBuilder b = new StringBuilder();
        b.append("verilator --lint-only -Wall of top module '").append(top).append("': ")
                .append(warnings().size()).append(" warning(s), ")
                .append(errors().size()).append(" error(s)");
        for (LintFinding f : findings) {
            b.append("\n  ").append(f.format());
        }
        return b.toString();
    }

    /** A design failed lint; the message lists every finding with its file and line. */
    public static final class LintException extends RuntimeException {
        private final transient LintReport report;

        public LintException(LintReport report) {
            super(report.format());
            this.report = report;
        }

        public LintReport report() {
            return report;
        }
    }
}
