package dev.sieve.sim.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs {@code simulate} in this JVM and captures what it prints, for the CLI tests. */
final class CliRun {
    private CliRun() {
    }

    /** Exit code, standard output and standard error of one run. */
    record Result(int exit, String out, String err) {
        String last() {
            return out.lines().reduce((a, b) -> b).orElse("");
        }

        String lastLine() {
            return last();
        }
    }

    static Result run(String... args) {
        CommandLine cli = Simulate.commandLine();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = cli.execute(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }
}
