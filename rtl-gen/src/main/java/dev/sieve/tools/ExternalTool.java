package dev.sieve.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An executable found on the PATH (Verilator, Yosys, a C++ compiler). {@link #require} fails with
 * the install command in the message when the tool is absent, so tests that need a tool fail
 * loudly instead of skipping.
 */
public record ExternalTool(String name, Path executable, String installHint) {

    /** Verilator, from Debian's {@code verilator} package. */
    public static ExternalTool verilator() {
        return require("verilator", "sudo scripts/install-tools   (or: apt-get install verilator)");
    }

    /** Yosys, from Debian's {@code yosys} package. */
    public static ExternalTool yosys() {
        return require("yosys", "sudo scripts/install-tools   (or: apt-get install yosys)");
    }

    /** Finds {@code name} on the PATH or throws {@link ToolMissingException} naming {@code installHint}. */
    public static ExternalTool require(String name, String installHint) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return new ExternalTool(name, candidate, installHint);
            }
        }
        throw new ToolMissingException(name + " was not found on the PATH; install it with: " + installHint);
    }

    /** Runs the tool with {@code args} in {@code workDir}; stdout and stderr are captured together. */
    public Result run(Path workDir, long timeoutSeconds, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ToolTimeoutException(name + " did not finish within " + timeoutSeconds + " s: "
                        + String.join(" ", command), timeoutSeconds);
            }
            return new Result(command, process.exitValue(), output.join());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailedException("interrupted while running " + String.join(" ", command));
        }
    }

    /** Runs the tool and returns its first output line (for example a version banner). */
    public String version() {
        Result r = run(Path.of("."), 60, List.of("--version"));
        String out = r.output().strip();
        int nl = out.indexOf('\n');
        return nl < 0 ? out : out.substring(0, nl);
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one run of a tool did: the command line, its exit code and its combined output. */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Returns this result, or throws with the tool's own output when it failed. */
        public Result orThrow() {
            if (!ok()) {
                throw new ToolFailedException(String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    /** A required tool is not installed. */
    public static final class ToolMissingException extends RuntimeException {
        public ToolMissingException(String message) {
            super(message);
        }
    }

    /** A tool ran and reported failure. */
    public static class ToolFailedException extends RuntimeException {
        public ToolFailedException(String message) {
            super(message);
        }
    }

    /** A setting for running tools (a system property or environment variable) has a value that is not allowed. */
    public static final class BadSettingException extends IllegalArgumentException {
        public BadSettingException(String message) {
            super(message);
        }
    }

    /** A tool was stopped because it ran longer than the limit it was given. */
    public static final class ToolTimeoutException extends ToolFailedException {
        private final long timeoutSeconds;

        public ToolTimeoutException(String message, long timeoutSeconds) {
            super(message);
            this.timeoutSeconds = timeoutSeconds;
        }

        /** The limit the tool exceeded, in seconds. */
        public long timeoutSeconds() {
            return timeoutSeconds;
        }
    }
}
