package dev.sieve.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The output-preparation step every command takes before any work: {@link #prepare} checks that
 * the output folder can be written, so a run never fails at its end (or after a training epoch)
 * for a path it could have refused at once. It creates nothing, so a run refused later for bad
 * input leaves no empty folder behind.
 */
public final class OutputDir {
    private OutputDir() {
    }

    /**
     * Checks that {@code dir} is an existing writable folder, or can be created as one: no part of
     * the path may be an existing file, and the nearest existing ancestor must be a folder that
     * accepts a new file (tried with a probe file that is removed at once, so the check is right
     * also for root and read-only mounts). {@code option} names where the path came from
     * ({@code --out}). Returns {@code dir}.
     */
    public static Path prepare(Path dir, String option) {
        if (dir.toString().isEmpty()) {
            throw new InputException(dir, 0, option, "the path is empty; allowed: a folder to write into");
        }
        Path abs = dir.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new InputException(dir, 0, option, "cannot be created (no existing parent folder)");
        }
        if (!Files.isDirectory(existing)) {
            String what = existing.equals(abs) ? "is an existing file" : "cannot be created: " + existing + " is a file";
            throw new InputException(dir, 0, option, what + "; allowed: a folder, or a path where one can be created");
        }
        Path probe = existing.resolve(".sieve-write-check-" + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().getId());
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace(probe.toString(), "").trim();
            String what = existing.equals(abs) ? "cannot be written" : "cannot be created in " + existing;
            throw new InputException(dir, 0, option, what + " (" + (why.isEmpty() ? "not writable" : why)
                    + "); allowed: a writable folder");
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the probe was never created
            }
        }
        return dir;
    }
}
