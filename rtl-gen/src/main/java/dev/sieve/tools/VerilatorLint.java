package dev.sieve.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code verilator --lint-only -Wall --top-module TOP files...} and parses its messages
 * into a {@link LintReport}.
 *
 * <p>Verilator 5.006 prints each message as {@code %Warning-CODE: file:line:col: text} or
 * {@code %Error[-CODE]: file:line:col: text}, followed by indented context lines (source excerpt,
 * instance path, help links) that are not findings. Its closing summary ({@code %Error: Exiting
 * due to N warning(s)}, {@code %Error: Cannot continue}) is not a finding either. Note that 5.006
 * has one {@code WIDTH} class (no {@code WIDTHEXPAND}/{@code WIDTHTRUNC}) and reports an unused
 * signal as {@code UNUSEDSIGNAL}.
 */
public final class VerilatorLint {

    /** Lint of even large generated designs takes seconds; this only stops a hung process. */
    public static final long TIMEOUT_SECONDS = 300;

    private static final Pattern MESSAGE = Pattern.compile(
            "^%(Warning|Error)(?:-([A-Za-z0-9_]+))?: (?:(.+?):(\\d+):(?:(\\d+):)? )?(.*)$");
    private static final Pattern SUMMARY = Pattern.compile(
            "^(Exiting due to .*|Cannot continue.*|Command Failed.*)$");

    private VerilatorLint() {
    }

    /** Lints {@code files} with {@code top} as the top module. */
    public static LintReport lint(List<Path> files, String top) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no Verilog files given to lint for top module '" + top + "'");
        }
        List<String> args = new ArrayList<>(List.of("--lint-only", "-Wall", "--top-module", top));
        for (Path f : files) {
            Path abs = f.toAbsolutePath().normalize();
            if (!Files.isRegularFile(abs)) {
                throw new IllegalArgumentException("Verilog file does not exist: " + abs);
            }
            args.add(abs.toString());
        }
        ExternalTool verilator = ExternalTool.verilator();
        Path workDir = tempDir();
        try {
            ExternalTool.Result result = verilator.run(workDir, TIMEOUT_SECONDS, args);
            List<LintFinding> findings = parse(result.output());
            if (!result.ok() && findings.isEmpty()) {
                // Failed without a message we recognise (e.g. a bad option): keep its words.
                findings = List.of(new LintFinding(LintFinding.Severity.ERROR, "", null, 0, 0,
                        "verilator exited with " + result.exitCode() + ": " + result.output().strip()));
            }
            return new LintReport(top, findings, result.output());
        } finally {
            deleteQuietly(workDir);
        }
    }

    /** Lints {@code files} with {@code top} as the top module. */
    public static LintReport lint(String top, Path... files) {
        return lint(List.of(files), top);
    }

    /** Parses Verilator's console output into findings, skipping context and summary lines. */
    static List<LintFinding> parse(String output) {
        List<LintFinding> findings = new ArrayList<>();
        for (String line : output.split("\\R")) {
            Matcher m = MESSAGE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            LintFinding.Severity severity = m.group(1).equals("Warning")
                    ? LintFinding.Severity.WARNING : LintFinding.Severity.ERROR;
            String code = m.group(2);
            String file = m.group(3);
            String text = m.group(6).strip();
            if (file == null && code == null && SUMMARY.matcher(text).matches()) {
                continue;
            }
            int lineNo = file == null ? 0 : Integer.parseInt(m.group(4));
            int col = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
            findings.add(new LintFinding(severity, code, file, lineNo, col, text));
        }
        return findings;
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("sieve-tool-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory", e);
        }
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }
}
